import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { BadServiceName } from './errors.ts';

/** ArcGIS Server's rule for service and folder names: letters, digits, underscores. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_]{0,119}$/;

/** Resource words a folder must not take: the URL after it would be ambiguous. */
const RESERVED_FOLDERS = new Set(['featureserver', 'mapserver', 'system', 'utilities', 'jobs']);

/** Checks a service name (throws gis.bad_service_name naming the problem). */
export function checkServiceName(name: string): string {
  if (!NAME.test(name))
    throw new MeridianError(
      BadServiceName,
      `The service name '${name}' is not allowed: use 1 to 120 letters, digits or underscores, starting with a letter or digit.`,
    );
  return name;
}

/** Checks a folder name ('' or undefined: the root folder). */
export function checkFolderName(folder: string | undefined): string {
  if (!folder || folder === '/') return '';
  if (!NAME.test(folder) || RESERVED_FOLDERS.has(folder.toLowerCase()))
    throw new MeridianError(
      BadServiceName,
      RESERVED_FOLDERS.has(folder.toLowerCase())
        ? `The folder name '${folder}' is reserved; choose another.`
        : `The folder name '${folder}' is not allowed: use 1 to 120 letters, digits or underscores, starting with a letter or digit.`,
    );
  return folder;
}

/** The case-insensitive key of a service: what the catalog keeps unique and the cache looks up. */
export function nameKey(folder: string, name: string): string {
  return `${folder.toLowerCase()}/${name.toLowerCase()}`;
}
