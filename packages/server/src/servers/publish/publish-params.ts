/** The Publish Item parameters (filetype, publishParameters, outputType), read and checked. */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { PublishItemInvalid } from './errors.ts';

export type PublishFileType = 'geojson' | 'csv';

/** The item types each file type publishes from (as content names them). */
export const SOURCE_TYPES: Readonly<Record<PublishFileType, string>> = { geojson: 'GeoJson', csv: 'CSV' };

export interface PublishParameters {
  /** The service name (the server checks its characters and that it is free). */
  name: string;
  /** The server folder ('' for the root). */
  folder: string;
  /** The service's description; the source item's when absent. */
  description: string | undefined;
}

function bad(message: string): MeridianError {
  return new MeridianError(PublishItemInvalid, `${message} ${PublishItemInvalid.fix}`);
}

export function parseFileType(value: string): PublishFileType {
  const t = value.trim().toLowerCase();
  if (t === 'geojson' || t === 'csv') return t;
  throw bad(`filetype '${value.slice(0, 40)}' cannot be published here: use geojson or csv.`);
}

/** outputType: absent, empty or featureService (the only service this portal publishes). */
export function checkOutputType(value: string | undefined): void {
  const t = value?.trim().toLowerCase();
  if (t && t !== 'featureservice')
    throw bad(`outputType '${t.slice(0, 40)}' is not supported: this portal publishes feature services.`);
}

/**
 * publishParameters: a JSON object with `name` (required), `folder` (or `folderName`), and
 * `description`; the other members ArcGIS clients send (layerInfo, locationType, …) are ignored.
 */
export function parsePublishParameters(text: string): PublishParameters {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw bad('publishParameters is not JSON: send {"name":"<service name>"}.');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad('publishParameters must be a JSON object.');
  const o = v as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    if (o[k] === undefined || o[k] === null) return undefined;
    if (typeof o[k] !== 'string') throw bad(`publishParameters.${k} must be a string.`);
    return (o[k] as string).trim();
  };
  const name = str('name');
  if (!name) throw bad('publishParameters.name is missing: name the service.');
  if (name.length > 120) throw bad('publishParameters.name is longer than 120 characters.');
  const folder = str('folder') ?? str('folderName') ?? '';
  const description = str('description');
  if (description !== undefined && description.length > 10_000)
    throw bad('publishParameters.description is longer than 10,000 characters.');
  return { name, folder: folder === '/' ? '' : folder, description };
}
