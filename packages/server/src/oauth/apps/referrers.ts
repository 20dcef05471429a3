import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { HttpReferrerInvalid } from './errors.ts';

export const MAX_HTTP_REFERRERS = 100;
const MAX_REFERRER_LENGTH = 2048;

function refuse(message: string): never {
  throw new MeridianError(HttpReferrerInvalid, message);
}

/**
 * The httpReferrers parameter: a JSON array of strings (as arcgis-rest-js sends it), kept as
 * given (ArcGIS referrers may hold wildcards such as https://*.example.com/*). Duplicates are
 * dropped; blank entries ignored.
 */
export function parseHttpReferrers(value: string | readonly unknown[]): string[] {
  let list: unknown = value;
  if (typeof value === 'string') {
    const v = value.trim();
    if (v === '') return [];
    try {
      list = JSON.parse(v);
    } catch {
      refuse('\'httpReferrers\' must be a JSON array of strings, such as ["https://app.example.com"].');
    }
  }
  if (!Array.isArray(list)) refuse("'httpReferrers' must be a JSON array of strings.");
  if (list.length > MAX_HTTP_REFERRERS)
    refuse(`'httpReferrers' has ${list.length} entries; the limit is ${MAX_HTTP_REFERRERS}.`);
  const out: string[] = [];
  for (const entry of list) {
    if (typeof entry !== 'string') refuse("'httpReferrers' must contain only strings.");
    const r = entry.trim();
    if (r === '' || out.includes(r)) continue;
    if (r.length > MAX_REFERRER_LENGTH)
      refuse(`A referrer is ${r.length} characters long; the limit is ${MAX_REFERRER_LENGTH}.`);
    if (!/^[\x21-\x7e]+$/.test(r))
      refuse(`Referrer '${r.slice(0, 200)}' contains spaces, control or non-ASCII characters.`);
    out.push(r);
  }
  return out;
}
