/**
 * Reads a GIS server's feature service from the browser (GeoServices REST): the service, a
 * layer's description, counts, attribute pages and GeoJSON pages. Requests are form POSTs so
 * that the token stays out of URLs and no CORS preflight is needed.
 */
import { ApiError, errorFromBody } from './errors.ts';

export type Bbox = [number, number, number, number];

export interface SpatialReference {
  wkid?: number;
  latestWkid?: number;
}

export interface Extent {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  spatialReference?: SpatialReference;
}

export interface ServiceLayerRef {
  id: number;
  name: string;
  geometryType?: string;
}

export interface FeatureServiceJson {
  serviceDescription?: string;
  layers: ServiceLayerRef[];
  tables: ServiceLayerRef[];
  fullExtent?: Extent;
  maxRecordCount?: number;
}

export interface LayerField {
  name: string;
  type: string;
  alias?: string;
}

export interface LayerJson {
  id: number;
  name: string;
  type?: string;
  geometryType?: string;
  objectIdField?: string;
  fields: LayerField[];
  extent?: Extent;
  maxRecordCount?: number;
}

export interface GeoJsonFeatureCollection {
  type: 'FeatureCollection';
  features: unknown[];
  exceededTransferLimit?: boolean;
  properties?: { exceededTransferLimit?: boolean };
}

/** A service (or one of its layers) and the token to read it with, if any. */
export interface ServiceRef {
  url: string;
  token?: string;
}

async function call<T>(
  ref: ServiceRef,
  path: string,
  params: Record<string, string | number> = {},
): Promise<T> {
  const body = new URLSearchParams({ f: 'json' });
  for (const [k, v] of Object.entries(params)) body.set(k, String(v));
  if (ref.token) body.set('token', ref.token);
  const url = `${ref.url.replace(/\/+$/, '')}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      credentials: 'omit',
      headers: { Accept: 'application/json' },
    });
  } catch {
    throw new ApiError(
      0,
      `The GIS server could not be reached at ${url}: it may be down, or it does not allow requests from this portal's pages (CORS).`,
    );
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(
      response.status,
      `The GIS server's answer from ${url} is not JSON (HTTP ${response.status}).`,
    );
  }
  const error = errorFromBody(json, response.status);
  if (error) throw error;
  return json as T;
}

export async function getFeatureService(ref: ServiceRef): Promise<FeatureServiceJson> {
  const a = await call<Partial<FeatureServiceJson>>(ref, '');
  return { ...a, layers: a.layers ?? [], tables: a.tables ?? [] };
}

export async function getLayer(ref: ServiceRef, layerId: number): Promise<LayerJson> {
  const a = await call<Partial<LayerJson>>(ref, `/${layerId}`);
  return { ...a, id: a.id ?? layerId, name: a.name ?? `Layer ${layerId}`, fields: a.fields ?? [] };
}

export async function countFeatures(ref: ServiceRef, layerId: number): Promise<number> {
  const a = await call<{ count?: number }>(ref, `/${layerId}/query`, {
    where: '1=1',
    returnCountOnly: 'true',
  });
  if (typeof a.count !== 'number') throw new ApiError(0, 'The layer did not answer its feature count.');
  return a.count;
}

export interface AttributePage {
  rows: Record<string, unknown>[];
  exceededTransferLimit: boolean;
}

/** One page of attributes (no geometry), in object-ID order. */
export async function queryAttributes(
  ref: ServiceRef,
  layer: LayerJson,
  offset: number,
  count: number,
): Promise<AttributePage> {
  const a = await call<{
    features?: { attributes?: Record<string, unknown> }[];
    exceededTransferLimit?: boolean;
  }>(ref, `/${layer.id}/query`, {
    where: '1=1',
    outFields: '*',
    returnGeometry: 'false',
    ...(layer.objectIdField ? { orderByFields: layer.objectIdField } : {}),
    resultOffset: offset,
    resultRecordCount: count,
  });
  return {
    rows: (a.features ?? []).map((f) => f.attributes ?? {}),
    exceededTransferLimit: a.exceededTransferLimit === true,
  };
}

/** One page of features as GeoJSON in WGS 84 (outSR=4326). */
export function queryGeoJsonPage(
  ref: ServiceRef,
  layer: LayerJson,
  offset: number,
  count: number,
): Promise<GeoJsonFeatureCollection> {
  return call<GeoJsonFeatureCollection>(ref, `/${layer.id}/query`, {
    f: 'geojson',
    where: '1=1',
    outFields: layer.objectIdField ?? '*',
    returnGeometry: 'true',
    outSR: 4326,
    ...(layer.objectIdField ? { orderByFields: layer.objectIdField } : {}),
    resultOffset: offset,
    resultRecordCount: count,
  });
}

/**
 * The layer's features as GeoJSON, page after page, up to `cap` features; `onPage` sees every
 * page as it arrives (the map draws while the rest loads). Stops early when `signal` aborts.
 */
export async function loadGeoJson(
  ref: ServiceRef,
  layer: LayerJson,
  cap: number,
  onPage: (features: unknown[]) => void,
  signal: { aborted: boolean },
): Promise<{ loaded: number; truncated: boolean }> {
  const pageSize = Math.min(
    layer.maxRecordCount && layer.maxRecordCount > 0 ? layer.maxRecordCount : 2000,
    cap,
  );
  let loaded = 0;
  for (;;) {
    const page = await queryGeoJsonPage(ref, layer, loaded, Math.min(pageSize, cap - loaded));
    if (signal.aborted) return { loaded, truncated: false };
    const features = page.features ?? [];
    loaded += features.length;
    onPage(features);
    const more = page.exceededTransferLimit === true || page.properties?.exceededTransferLimit === true;
    if (!more || features.length === 0) return { loaded, truncated: false };
    if (loaded >= cap) return { loaded, truncated: true };
  }
}
