/**
 * The parameters a layer's query takes, as ArcGIS documents them: every one is accepted as
 * text (clients send many that Meridian does not act on, such as returnZ or cacheHint) and
 * features/query reads and checks those it supports.
 */
import { type TOptional, type TString, Type } from '@sinclair/typebox';

const SUPPORTED: Record<string, string> = {
  where: "A SQL-92 where clause over the layer's fields (1=1 for all).",
  objectIds: 'Comma-separated object ids.',
  geometry: 'An envelope, point, multipoint, polyline or polygon (JSON, or "xmin,ymin,xmax,ymax" / "x,y").',
  geometryType:
    'esriGeometryEnvelope (default), esriGeometryPoint, esriGeometryMultipoint, esriGeometryPolyline, esriGeometryPolygon.',
  inSR: 'The geometry\'s spatial reference: a wkid or {"wkid":…} (default: the layer\'s).',
  spatialRel: 'esriSpatialRelIntersects (default) or esriSpatialRelEnvelopeIntersects.',
  outFields: "'*' or a comma-separated list of fields.",
  returnGeometry: 'true (default) or false.',
  outSR: "The spatial reference of the answer: 4326, 3857 (102100) or the layer's.",
  returnIdsOnly: 'true: only the object ids.',
  returnCountOnly: 'true: only the count.',
  returnExtentOnly: 'true: only the count and extent.',
  orderByFields: "'field [ASC|DESC], …' (the object id is always the last key).",
  groupByFieldsForStatistics: 'Fields to group statistics by.',
  outStatistics: 'JSON array of {statisticType, onStatisticField, outStatisticFieldName}.',
  resultOffset: 'Features to skip.',
  resultRecordCount: 'Features to return at most (capped at maxRecordCount).',
};

/** Accepted and ignored (Meridian's layers have no z, m, time, versions or curves). */
const IGNORED = [
  'time',
  'relationParam',
  'distance',
  'units',
  'maxAllowableOffset',
  'geometryPrecision',
  'havingClause',
  'gdbVersion',
  'historicMoment',
  'returnDistinctValues',
  'returnZ',
  'returnM',
  'multipatchOption',
  'returnTrueCurves',
  'returnExceededLimitFeatures',
  'quantizationParameters',
  'returnCentroid',
  'timeReferenceUnknownClient',
  'sqlFormat',
  'resultType',
  'featureEncoding',
  'datumTransformation',
  'cacheHint',
  'returnUniqueIdsOnly',
  'returnQueryGeometry',
  'defaultSR',
  'text',
  'outSpatialReference',
];

/** The query's parameters for route(): those features/query reads, then those it ignores. */
export const QUERY_PARAMS: Record<string, TOptional<TString>> = Object.fromEntries([
  ...Object.entries(SUPPORTED).map(([k, description]) => [k, Type.Optional(Type.String({ description }))]),
  ...IGNORED.map((k) => [k, Type.Optional(Type.String({ description: 'Accepted; no effect here.' }))]),
]);

/** The parameters features/query reads (the ignored ones are not passed on). */
export const QUERY_PARAM_NAMES: readonly string[] = Object.keys(SUPPORTED);
