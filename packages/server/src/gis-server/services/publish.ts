/**
 * Publishing one feature service from a GeoJSON or CSV file: the name checked and free, the
 * file streamed into the feature store under a new service key, then the catalog row. Any
 * failure (a bad feature, a name taken meanwhile) drops what was written: no service and no
 * layer is left behind.
 */
import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import type { FeatureStore } from '../../features/plan.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { ServiceAccessLevel, ServiceCatalog, ServiceRecord } from './catalog.ts';
import { exists } from './catalog.ts';
import { ingestData } from './engine.ts';
import { BadServiceDefinition } from './errors.ts';
import { checkFolderName, checkServiceName } from './names.ts';

export type DataFormat = 'geojson' | 'csv';

export interface PublishInput {
  name: string;
  /** '' or undefined: the root folder. */
  folder?: string;
  description?: string;
  access: ServiceAccessLevel;
  owner: string;
  /** The data file on this machine. */
  path: string;
  format: DataFormat;
  maxRecordCount: number;
  /** Cancels the publish (the job's signal): the ingest stops and nothing is left. */
  signal?: AbortSignal | undefined;
}

/** Progress of a publish: features (or bytes) done of a total when known. */
export type PublishProgress = (done: number, total: number | null, message: string) => void;

/** The data format from an explicit fileType or the file's extension. */
export function dataFormat(fileType: string | undefined, filename: string): DataFormat {
  const t = (fileType || extname(filename).slice(1)).toLowerCase();
  if (t === 'geojson' || t === 'json') return 'geojson';
  if (t === 'csv') return 'csv';
  throw new MeridianError(
    BadServiceDefinition,
    fileType
      ? `fileType '${fileType}' is not supported: use geojson or csv.`
      : `Cannot tell the format of '${filename}': name it .geojson or .csv, or give fileType (geojson or csv).`,
  );
}

/** Checks the names of a service to publish and that the folder has none of that name yet. */
export async function checkPublishable(
  catalog: ServiceCatalog,
  input: { name: string; folder?: string },
): Promise<{ name: string; folder: string }> {
  const name = checkServiceName(input.name);
  const folder = checkFolderName(input.folder);
  if (await catalog.find(folder, name)) throw exists(folder, name);
  return { name, folder };
}

export async function publishService(
  deps: { catalog: ServiceCatalog; store: FeatureStore; now(): number },
  input: PublishInput,
  progress?: PublishProgress,
): Promise<ServiceRecord> {
  const { name, folder } = await checkPublishable(deps.catalog, input);
  const id = `s${randomBytes(8).toString('hex')}`;
  try {
    await ingestData(deps.store, id, {
      path: input.path,
      format: input.format,
      layerName: name,
      progress,
      signal: input.signal,
    });
    const t = deps.now();
    const record: ServiceRecord = {
      id,
      folder,
      name,
      type: 'FeatureServer',
      title: name,
      description: input.description ?? '',
      owner: input.owner,
      portalItemId: null,
      access: input.access,
      maxRecordCount: input.maxRecordCount,
      created: t,
      modified: t,
    };
    await deps.catalog.insert(record);
    return record;
  } catch (err) {
    await deps.store.dropService(id).catch(() => {});
    throw err;
  }
}
