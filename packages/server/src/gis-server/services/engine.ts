/**
 * Where the services meet the feature engine (features/store, features/ingest,
 * features/query): opening the store for this server's configuration, streaming a file into
 * it, and the GeoServices resources and query answers built from a service's layers.
 */
import { ingestFile } from '../../features/ingest/index.ts';
import type { FeatureStore, LayerDef } from '../../features/plan.ts';
import { layerJson, parseQuery, serialize, serviceJson } from '../../features/query/index.ts';
import { type OpenedFeatureStore, openFeatureStore } from '../../features/store/open-store.ts';
import type { Config } from '../../kernel/config/load.ts';
import type { DataFormat, PublishProgress } from './publish.ts';
import { QUERY_PARAM_NAMES } from './query-params.ts';
import type { LoadedService } from './service-cache.ts';

/** The server's feature store: PostGIS in its PostgreSQL database, else a SQLite file in its home. */
export function openServicesStore(
  config: Config,
  onPoolError?: (err: Error) => void,
): Promise<OpenedFeatureStore> {
  const url = config.database.url;
  return openFeatureStore({
    home: config.home,
    ...(url && /^postgres(ql)?:/i.test(url) ? { pgUrl: url } : {}),
    ...(onPoolError ? { onPoolError } : {}),
  });
}

/** Streams a data file into the store as the layers of a service; aborts them on any error. */
export function ingestData(
  store: FeatureStore,
  serviceKey: string,
  opts: {
    path: string;
    format: DataFormat;
    layerName: string;
    progress?: PublishProgress | undefined;
    signal?: AbortSignal | undefined;
  },
): Promise<LayerDef[]> {
  return ingestFile(store, serviceKey, {
    path: opts.path,
    ...(opts.signal ? { signal: opts.signal } : {}),
    format: opts.format,
    layerName: opts.layerName,
    onProgress: (p) => opts.progress?.(p.done, p.total ?? null, p.message ?? ''),
  });
}

const layerOpts = (s: LoadedService) => ({ maxRecordCount: s.record.maxRecordCount });

/** …/FeatureServer. */
export function serviceResource(s: LoadedService): Record<string, unknown> {
  return serviceJson(s.layers, { ...layerOpts(s), serviceDescription: s.record.description }) as Record<
    string,
    unknown
  >;
}

/** …/FeatureServer/layers: each layer and table as its own resource describes it. */
export function layersResource(s: LoadedService): Record<string, unknown> {
  const all = s.layers.map((l) => ({ def: l, json: layerJson(l, layerOpts(s)) }));
  return {
    layers: all.filter((l) => l.def.geometryType !== null).map((l) => l.json),
    tables: all.filter((l) => l.def.geometryType === null).map((l) => l.json),
  };
}

/** …/FeatureServer/<layerId>. */
export function layerResource(s: LoadedService, layer: LayerDef): Record<string, unknown> {
  return layerJson(layer, layerOpts(s)) as Record<string, unknown>;
}

/** …/<layerId>/query: parsed and checked against the layer, run by the store, serialised. */
export async function runQuery(
  store: FeatureStore,
  s: LoadedService,
  layer: LayerDef,
  args: Record<string, string | undefined>,
): Promise<Record<string, unknown>> {
  const params: Record<string, string | undefined> = { f: args.f };
  for (const k of QUERY_PARAM_NAMES) params[k] = args[k];
  const parsed = parseQuery(params, layer, { maxRecordCount: s.record.maxRecordCount });
  const result = await store.query(s.record.id, layer.id, parsed.plan);
  return serialize(layer, result, parsed);
}
