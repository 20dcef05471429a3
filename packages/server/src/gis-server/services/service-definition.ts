/** The `service` JSON of createService, read and checked: what to publish, and how. */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { ServiceAccessLevel } from './catalog.ts';
import { BadServiceDefinition } from './errors.ts';

export interface ServiceDefinition {
  serviceName: string;
  folderName: string;
  description: string;
  access: ServiceAccessLevel;
}

function bad(message: string): MeridianError {
  return new MeridianError(BadServiceDefinition, message);
}

/** Parses createService's `service` parameter; other members ArcGIS clients send are ignored. */
export function parseServiceDefinition(text: string): ServiceDefinition {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw bad('\'service\' is not JSON: send {"serviceName":"…","type":"FeatureServer"}.');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad("'service' must be a JSON object.");
  const o = v as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    if (o[k] === undefined || o[k] === null) return undefined;
    if (typeof o[k] !== 'string') throw bad(`service.${k} must be a string.`);
    return o[k] as string;
  };
  const serviceName = str('serviceName') ?? str('name');
  if (!serviceName) throw bad('service.serviceName is missing: name the service.');
  const type = str('type') ?? 'FeatureServer';
  if (type.toLowerCase() !== 'featureserver')
    throw bad(`service.type '${type}' is not supported: this server publishes FeatureServer services.`);
  const access = str('access') ?? 'private';
  if (access !== 'private' && access !== 'public')
    throw bad(`service.access '${access}' is not allowed: use private or public.`);
  const description = str('description') ?? '';
  if (description.length > 10_000) throw bad('service.description is longer than 10,000 characters.');
  const folderName = str('folderName') ?? '';
  return { serviceName, folderName: folderName === '/' ? '' : folderName, description, access };
}
