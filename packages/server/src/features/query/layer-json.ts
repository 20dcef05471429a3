import { CURRENT_VERSION } from '../../kernel/version.ts';
import type { Envelope, FieldDef, LayerDef } from '../plan.ts';
import { projectEnvelope } from './projection.ts';
import { simpleRenderer } from './renderer.ts';
import { canonicalWkid, spatialReferenceJson, WEB_MERCATOR, WGS84 } from './spatial-reference.ts';

/**
 * The resources `…/FeatureServer` (serviceJson) and `…/FeatureServer/<id>` (layerJson) that
 * arcgis-rest-js, QGIS and GDAL read before they query: QGIS needs extent.spatialReference,
 * an esriFieldTypeOID field, geometryType, hasZ/hasM, capabilities and `type: Table` for
 * tables; arcgis-rest-js reads maxRecordCount to size its pages.
 */

export interface ResourceOptions {
  maxRecordCount: number;
  /** The service's description (serviceDescription and description of …/FeatureServer). */
  serviceDescription?: string;
  copyrightText?: string;
}

const SUPPORTED_QUERY_FORMATS = 'JSON, geoJSON';

const WORLD: Record<number, Envelope> = {
  [WGS84]: { xmin: -180, ymin: -90, xmax: 180, ymax: 90 },
  [WEB_MERCATOR]: {
    xmin: -20037508.342789244,
    ymin: -20037508.342789244,
    xmax: 20037508.342789244,
    ymax: 20037508.342789244,
  },
};

/** The layer's extent with its spatialReference; an empty layer answers the world (or a point at 0,0). */
function extentJson(extent: Envelope | null, wkid: number): Record<string, unknown> {
  const e = extent ?? WORLD[canonicalWkid(wkid)] ?? { xmin: 0, ymin: 0, xmax: 0, ymax: 0 };
  return { ...e, spatialReference: spatialReferenceJson(wkid) };
}

function layerFieldJson(f: FieldDef): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: f.name,
    type: f.type,
    alias: f.alias,
    sqlType: 'sqlTypeOther',
  };
  if (f.type === 'esriFieldTypeString') out.length = f.length ?? 255;
  out.nullable = f.type === 'esriFieldTypeOID' ? false : f.nullable;
  out.editable = false;
  out.domain = null;
  out.defaultValue = null;
  return out;
}

export function layerJson(layer: LayerDef, opts: ResourceOptions): Record<string, unknown> {
  const isTable = layer.geometryType === null;
  const displayField =
    layer.fields.find((f) => f.type === 'esriFieldTypeString')?.name ?? layer.objectIdField;
  const body: Record<string, unknown> = {
    currentVersion: Number(CURRENT_VERSION),
    id: layer.id,
    name: layer.name,
    type: isTable ? 'Table' : 'Feature Layer',
    description: '',
    copyrightText: opts.copyrightText ?? '',
    defaultVisibility: true,
    editingInfo: { lastEditDate: null },
    relationships: [],
    isDataVersioned: false,
    supportsRollbackOnFailureParameter: false,
    supportsStatistics: true,
    supportsAdvancedQueries: true,
    supportsCoordinatesQuantization: false,
    supportsExceedsLimitStatistics: false,
    advancedQueryCapabilities: {
      useStandardizedQueries: true,
      supportsStatistics: true,
      supportsHavingClause: false,
      supportsOrderBy: true,
      supportsDistinct: false,
      supportsCountDistinct: false,
      supportsPagination: true,
      supportsPaginationOnAggregatedQueries: true,
      supportsTrueCurve: false,
      supportsReturningQueryExtent: true,
      supportsQueryWithDistance: false,
      supportsSqlExpression: false,
      supportsOutFieldSQLExpression: false,
      supportsTopFeaturesQuery: false,
      supportsQueryWithResultType: false,
      supportsDisjointSpatialRel: false,
    },
    useStandardizedQueries: true,
  };
  if (!isTable) {
    Object.assign(body, {
      geometryType: layer.geometryType,
      minScale: 0,
      maxScale: 0,
      extent: extentJson(layer.extent, layer.wkid),
      drawingInfo: { renderer: simpleRenderer(layer.geometryType!), transparency: 0, labelingInfo: null },
      allowGeometryUpdates: false,
    });
  }
  Object.assign(body, {
    hasM: false,
    hasZ: false,
    hasAttachments: false,
    htmlPopupType: 'esriServerHTMLPopupTypeNone',
    objectIdField: layer.objectIdField,
    uniqueIdField: { name: layer.objectIdField, isSystemMaintained: true },
    globalIdField: '',
    displayField,
    typeIdField: null,
    fields: layer.fields.map(layerFieldJson),
    types: [],
    templates: [],
    capabilities: 'Query',
    maxRecordCount: opts.maxRecordCount,
    standardMaxRecordCount: opts.maxRecordCount,
    tileMaxRecordCount: opts.maxRecordCount,
    maxRecordCountFactor: 1,
    supportedQueryFormats: SUPPORTED_QUERY_FORMATS,
  });
  return body;
}

/** The union of the layers' extents, in `wkid`; null when no layer has one. */
function unionExtent(layers: LayerDef[], wkid: number): Envelope | null {
  let out: Envelope | null = null;
  for (const l of layers) {
    if (!l.extent) continue;
    const e = projectEnvelope(l.extent, l.wkid, wkid);
    out = out
      ? {
          xmin: Math.min(out.xmin, e.xmin),
          ymin: Math.min(out.ymin, e.ymin),
          xmax: Math.max(out.xmax, e.xmax),
          ymax: Math.max(out.ymax, e.ymax),
        }
      : e;
  }
  return out;
}

export function serviceJson(layers: LayerDef[], opts: ResourceOptions): Record<string, unknown> {
  const spatial = layers.filter((l) => l.geometryType !== null);
  const wkid = canonicalWkid(spatial[0]?.wkid ?? WGS84);
  // Layers in another spatial reference than the first cannot join the union unless projectable.
  const sameOrProjectable = spatial.filter((l) => {
    const w = canonicalWkid(l.wkid);
    return w === wkid || ([WGS84, WEB_MERCATOR].includes(w) && [WGS84, WEB_MERCATOR].includes(wkid));
  });
  const extent = extentJson(unionExtent(sameOrProjectable, wkid), wkid);
  return {
    currentVersion: Number(CURRENT_VERSION),
    serviceDescription: opts.serviceDescription ?? '',
    description: opts.serviceDescription ?? '',
    copyrightText: opts.copyrightText ?? '',
    hasVersionedData: false,
    supportsDisconnectedEditing: false,
    hasStaticData: true,
    maxRecordCount: opts.maxRecordCount,
    supportedQueryFormats: SUPPORTED_QUERY_FORMATS,
    capabilities: 'Query',
    spatialReference: spatialReferenceJson(wkid),
    initialExtent: extent,
    fullExtent: extent,
    allowGeometryUpdates: false,
    units: wkid === WGS84 ? 'esriDecimalDegrees' : 'esriMeters',
    syncEnabled: false,
    layers: spatial.map((l) => ({
      id: l.id,
      name: l.name,
      parentLayerId: -1,
      defaultVisibility: true,
      subLayerIds: null,
      minScale: 0,
      maxScale: 0,
      type: 'Feature Layer',
      geometryType: l.geometryType,
    })),
    tables: layers
      .filter((l) => l.geometryType === null)
      .map((l) => ({ id: l.id, name: l.name, type: 'Table' })),
  };
}
