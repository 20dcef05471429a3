/**
 * The URL rules of the organisation's basemap: a tile URL template (ArcGIS WebTiledLayer) or a
 * tiled map service URL, checked before it is stored, and the origin the web UI's policy then
 * lets images come from. Browsers fetch these URLs, not the portal: the rules keep them to
 * https on a fixed host, with no credentials in them.
 */
import { isLoopback } from '../kernel/metrics/listen-address.ts';
import type { DefaultBasemapJson } from './schemas.ts';

/** At most this many characters per basemap URL. */
export const MAX_BASEMAP_URL_LENGTH = 2048;

/** XYZ placeholders and the ArcGIS WebTiledLayer ones they are stored as. */
const PLACEHOLDERS: Record<string, string> = {
  level: 'level',
  col: 'col',
  row: 'row',
  z: 'level',
  x: 'col',
  y: 'row',
};

export interface UrlRules {
  /** Plain http is allowed for a loopback host (the portal runs in development mode). */
  httpOnLoopback: boolean;
}

/** Why a URL (placeholders already filled in) is refused, or its parsed form. */
function checkUrl(name: string, text: string, rules: UrlRules, display = text): URL | string {
  if (text.length > MAX_BASEMAP_URL_LENGTH)
    return `${name} is ${text.length} characters long; the limit is ${MAX_BASEMAP_URL_LENGTH}`;
  if (!/^[\x21-\x7e]+$/.test(text))
    return `${name} contains spaces, control or non-ASCII characters (percent-encode them)`;
  if (text.includes('\\')) return `${name} has a backslash, which browsers read as a slash`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return `${name} '${shown(display)}' is not a URL`;
  }
  if (u.protocol === 'http:') {
    if (!(rules.httpOnLoopback && isLoopback(u.hostname.replace(/^\[|\]$/g, ''))))
      return `${name} '${shown(display)}' uses plain http://: tiles must come over https:// (http only from localhost, 127.0.0.1 or [::1] on a portal in development mode)`;
  } else if (u.protocol !== 'https:')
    return `${name} '${shown(display)}' uses ${u.protocol}//: give an https:// URL`;
  if (u.username || u.password || /^[a-z]+:\/\/[^/?#]*@/i.test(text))
    return `${name} carries a user name or password (user@host): every visitor's browser would see them; give a URL without credentials`;
  if (text.includes('#')) return `${name} has a fragment (#); tile servers never see it`;
  return u;
}

/**
 * A WebTiledLayer template in the ArcGIS form ({level}, {col}, {row}; {z}, {x}, {y} are taken
 * too), or why it is refused. Placeholders may only follow the host: the origin is fixed.
 */
export function tileTemplate(
  text: string,
  rules: UrlRules,
): { templateUrl: string; origin: string } | string {
  const name = 'templateUrl';
  if (text.length > MAX_BASEMAP_URL_LENGTH)
    return `${name} is ${text.length} characters long; the limit is ${MAX_BASEMAP_URL_LENGTH}`;
  const seen = new Set<string>();
  const unknown: string[] = [];
  const templateUrl = text.replace(/\{([^{}]*)\}/g, (_all, key: string) => {
    const arcgis = PLACEHOLDERS[key];
    if (!arcgis) {
      unknown.push(`{${key}}`);
      return '';
    }
    seen.add(arcgis);
    return `{${arcgis}}`;
  });
  if (unknown.length)
    return `${name} has the placeholder${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; only {level}, {col} and {row} (or {z}, {x} and {y}) are filled in${unknown.includes('{subDomain}') ? ' (sub-domains are not: give one host)' : ''}`;
  const missing = ['level', 'col', 'row'].filter((p) => !seen.has(p));
  if (missing.length)
    return `${name} '${shown(text)}' lacks ${missing.map((p) => `{${p}}`).join(', ')}: a tile URL names the zoom level, the column and the row, as https://tiles.example.org/{level}/{col}/{row}.png or https://tiles.example.org/{z}/{x}/{y}.png`;
  const filled = templateUrl.replace(/\{(level|col|row)\}/g, '0');
  if (/[{}]/.test(filled)) return `${name} '${shown(text)}' has an unmatched { or }`;
  const firstPlaceholder = templateUrl.indexOf('{');
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+[/?]/i.test(templateUrl.slice(0, firstPlaceholder)))
    return `${name} '${shown(text)}' has a placeholder in its host: placeholders go in the path or query, after https://host/`;
  const u = checkUrl(name, filled, rules, text);
  if (typeof u === 'string') return u;
  return { templateUrl, origin: u.origin };
}

/** A tiled map service URL (https://…/MapServer), without a trailing slash, or why it is refused. */
export function mapServiceUrl(text: string, rules: UrlRules): { url: string; origin: string } | string {
  const u = checkUrl('url', text, rules);
  if (typeof u === 'string') return u;
  if (/[{}]/.test(text)) return `url '${shown(text)}' has placeholders; a map service URL has none`;
  if (u.search) return `url '${shown(text)}' has a query (?…); give the service URL alone`;
  const url = text.replace(/\/+$/, '');
  if (!/\/MapServer$/i.test(new URL(url).pathname))
    return `url '${shown(text)}' is not a map service URL: it must end in /MapServer (https://host/arcgis/rest/services/Name/MapServer)`;
  return { url, origin: u.origin };
}

/** The origins of a stored basemap's tiles (none without a basemap). */
export function basemapOrigins(basemap: DefaultBasemapJson | null): string[] {
  const origins = (basemap?.baseMapLayers ?? []).map((layer) => {
    const text = 'templateUrl' in layer ? layer.templateUrl.replace(/\{(level|col|row)\}/g, '0') : layer.url;
    return new URL(text).origin;
  });
  return [...new Set(origins)];
}

function shown(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
