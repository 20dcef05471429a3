import type {
  Envelope,
  FieldDef,
  FieldType,
  LayerDef,
  Literal,
  QueryPlan,
  QueryResult,
  StoredFeature,
} from '../plan.ts';
import { toGeoJsonGeometry } from './geojson.ts';
import type { QueryFormat } from './params.ts';
import { projectEnvelope, projectGeometry } from './projection.ts';
import { spatialReferenceJson, WGS84 } from './spatial-reference.ts';

/**
 * A store's QueryResult as the response body of `…/query`: Esri JSON (f=json/pjson) or GeoJSON
 * (f=geojson, always WGS84), for each mode. Geometries arrive in the layer's spatial reference
 * and leave in outSR. `exceededTransferLimit` is always present in Esri JSON feature answers
 * (true when the page was cut: GDAL and arcgis-rest-js page on it) and sits under a top-level
 * `properties` object in GeoJSON, only when true, as ArcGIS writes it.
 */

export interface SerializeOptions {
  outSR: number;
  format: QueryFormat;
  /**
   * The plan the result answers (pass parseQuery's answer whole): it names the returned fields,
   * whether geometries were asked for, the page size and the statistics' definitions. Without
   * it they are read off the result itself (the fields of the first feature, or every field).
   */
  plan?: QueryPlan;
}

/** A field as query answers list it. */
export function queryFieldJson(f: FieldDef): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: f.name,
    type: f.type,
    alias: f.alias,
    sqlType: 'sqlTypeOther',
  };
  if (f.type === 'esriFieldTypeString') out.length = f.length ?? 255;
  out.domain = null;
  out.defaultValue = null;
  return out;
}

/** The response body of a query: `serialize(layer, await store.query(…, parsed.plan), parsed)`. */
export function serialize(
  layer: LayerDef,
  result: QueryResult,
  opts: SerializeOptions,
): Record<string, unknown> {
  const geojson = opts.format === 'geojson';
  const outSR = geojson ? WGS84 : opts.outSR;
  const plan = opts.plan ?? planFromResult(layer, result);
  switch (result.mode) {
    case 'ids':
      return { objectIdFieldName: layer.objectIdField, objectIds: result.objectIds };
    case 'count':
      return { count: result.count };
    case 'extent':
      return geojson ? geoJsonExtent(layer, result) : esriExtent(layer, result, outSR);
    case 'stats':
      return geojson
        ? geoJsonStats(result.rows, result.exceededTransferLimit)
        : esriStats(layer, plan, result);
    case 'features': {
      const page = capped(plan, result);
      return geojson ? geoJsonFeatures(layer, plan, page) : esriFeatures(layer, plan, page, outSR);
    }
  }
}

/** What the plan must have said, read off a result (when the caller did not pass the plan). */
function planFromResult(layer: LayerDef, result: QueryResult): QueryPlan {
  const plan: QueryPlan = {
    mode: result.mode,
    where: { kind: 'true' },
    outFields: layer.fields.map((f) => f.name),
    returnGeometry: layer.geometryType !== null,
    orderBy: [],
    offset: 0,
  };
  if (result.mode === 'features' && result.features.length > 0) {
    const keys = new Set(Object.keys(result.features[0]!.attributes));
    plan.outFields = layer.fields.map((f) => f.name).filter((n) => keys.has(n));
    plan.returnGeometry = result.features.some((f) => f.geometry !== null);
  }
  if (result.mode === 'stats') {
    const keys = Object.keys(result.rows[0] ?? {});
    plan.groupBy = keys.filter((k) => layer.fields.some((f) => f.name === k));
    plan.statistics = keys
      .filter((k) => !plan.groupBy!.includes(k))
      .map((k) => ({ type: /^count_/i.test(k) ? 'count' : 'sum', field: '', outName: k }));
  }
  return plan;
}

type FeaturesResult = Extract<QueryResult, { mode: 'features' }>;

/** A page never holds more than plan.limit features; a store that answers more (its limit + 1 probe) was cut. */
function capped(plan: QueryPlan, result: FeaturesResult): FeaturesResult {
  if (plan.limit === undefined || result.features.length <= plan.limit) return result;
  return { mode: 'features', features: result.features.slice(0, plan.limit), exceededTransferLimit: true };
}

function fieldsOf(layer: LayerDef, names: string[]): FieldDef[] {
  return names
    .map((n) => layer.fields.find((f) => f.name === n))
    .filter((f): f is FieldDef => f !== undefined);
}

function pick(attributes: Record<string, Literal>, names: string[]): Record<string, Literal> {
  const out: Record<string, Literal> = {};
  for (const n of names) out[n] = attributes[n] ?? null;
  return out;
}

function esriFeatures(
  layer: LayerDef,
  plan: QueryPlan,
  result: FeaturesResult,
  outSR: number,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    objectIdFieldName: layer.objectIdField,
    uniqueIdField: { name: layer.objectIdField, isSystemMaintained: true },
    globalIdFieldName: '',
  };
  if (layer.geometryType !== null) {
    body.geometryType = layer.geometryType;
    body.hasZ = false;
    body.hasM = false;
    body.spatialReference = spatialReferenceJson(outSR);
  }
  body.fields = fieldsOf(layer, plan.outFields).map(queryFieldJson);
  body.features = result.features.map((f) => {
    const out: Record<string, unknown> = { attributes: pick(f.attributes, plan.outFields) };
    if (plan.returnGeometry && f.geometry) out.geometry = projectGeometry(f.geometry, layer.wkid, outSR);
    return out;
  });
  body.exceededTransferLimit = result.exceededTransferLimit;
  return body;
}

function geoJsonFeature(layer: LayerDef, plan: QueryPlan, f: StoredFeature): Record<string, unknown> {
  const geometry = plan.returnGeometry && f.geometry ? projectGeometry(f.geometry, layer.wkid, WGS84) : null;
  return {
    type: 'Feature',
    id: f.attributes[layer.objectIdField] ?? null,
    geometry: toGeoJsonGeometry(geometry),
    properties: pick(f.attributes, plan.outFields),
  };
}

function geoJsonFeatures(layer: LayerDef, plan: QueryPlan, result: FeaturesResult): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: 'FeatureCollection',
    features: result.features.map((f) => geoJsonFeature(layer, plan, f)),
  };
  if (result.exceededTransferLimit) body.properties = { exceededTransferLimit: true };
  return body;
}

const NO_EXTENT = { xmin: 'NaN', ymin: 'NaN', xmax: 'NaN', ymax: 'NaN' };

function esriExtent(
  layer: LayerDef,
  result: Extract<QueryResult, { mode: 'extent' }>,
  outSR: number,
): Record<string, unknown> {
  const e: Envelope | typeof NO_EXTENT = result.extent
    ? projectEnvelope(result.extent, layer.wkid, outSR)
    : NO_EXTENT;
  return { count: result.count, extent: { ...e, spatialReference: spatialReferenceJson(outSR) } };
}

function geoJsonExtent(
  layer: LayerDef,
  result: Extract<QueryResult, { mode: 'extent' }>,
): Record<string, unknown> {
  const body: Record<string, unknown> = { type: 'FeatureCollection', features: [], count: result.count };
  if (result.extent) {
    const e = projectEnvelope(result.extent, layer.wkid, WGS84);
    body.bbox = [e.xmin, e.ymin, e.xmax, e.ymax];
  }
  return body;
}

/** The type of a statistic's output field: counts are integers, min/max keep the field's type. */
function statisticType(layer: LayerDef, type: string, field: string): FieldType {
  if (type === 'count') return 'esriFieldTypeInteger';
  if (type === 'min' || type === 'max') {
    const t = layer.fields.find((f) => f.name === field)?.type ?? 'esriFieldTypeDouble';
    return t === 'esriFieldTypeOID' ? 'esriFieldTypeInteger' : t;
  }
  return 'esriFieldTypeDouble';
}

function esriStats(
  layer: LayerDef,
  plan: QueryPlan,
  result: Extract<QueryResult, { mode: 'stats' }>,
): Record<string, unknown> {
  const fields = [
    ...fieldsOf(layer, plan.groupBy ?? []).map(queryFieldJson),
    ...(plan.statistics ?? []).map((s) => ({
      name: s.outName,
      type: statisticType(layer, s.type, s.field),
      alias: s.outName,
      sqlType: 'sqlTypeOther',
      domain: null,
      defaultValue: null,
    })),
  ];
  const names = [...(plan.groupBy ?? []), ...(plan.statistics ?? []).map((s) => s.outName)];
  const body: Record<string, unknown> = {
    displayFieldName: '',
    fieldAliases: Object.fromEntries(fields.map((f) => [f.name, f.alias])),
    fields,
    features: result.rows.map((row) => ({ attributes: pick(row, names) })),
  };
  if (result.exceededTransferLimit) body.exceededTransferLimit = true;
  return body;
}

function geoJsonStats(rows: Record<string, Literal>[], cut: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: 'FeatureCollection',
    features: rows.map((row) => ({ type: 'Feature', geometry: null, properties: row })),
  };
  if (cut) body.properties = { exceededTransferLimit: true };
  return body;
}
