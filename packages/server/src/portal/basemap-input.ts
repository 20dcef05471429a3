/**
 * The defaultBasemap parameter of portals/self/update: ArcGIS's basemap JSON (as a JSON text,
 * as arcgis-rest-js sends objects, or an object in a JSON body), checked field by field into
 * the stored form, or null (an empty value) to remove the basemap. Every refusal names the
 * field and what is wrong with it.
 */
import { parseClientJson } from '../http/json-body.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { mapServiceUrl, tileTemplate, type UrlRules } from './basemap-url.ts';
import { BasemapInvalid } from './errors.ts';
import type { BasemapLayerJson, DefaultBasemapJson } from './schemas.ts';

/** At most this many characters of JSON. */
export const MAX_BASEMAP_JSON_LENGTH = 16_000;
/** At most this many layers (a base layer and, say, a reference layer of labels). */
export const MAX_BASEMAP_LAYERS = 4;
export const MAX_BASEMAP_TITLE_LENGTH = 200;
export const MAX_BASEMAP_COPYRIGHT_LENGTH = 1000;

const LAYER_TYPES = ['WebTiledLayer', 'ArcGISTiledMapServiceLayer'];
const LAYER_KEYS: Record<string, readonly string[]> = {
  WebTiledLayer: ['id', 'layerType', 'templateUrl', 'copyright'],
  ArcGISTiledMapServiceLayer: ['id', 'layerType', 'url', 'copyright'],
};

function refuse(message: string): never {
  throw new MeridianError(BasemapInvalid, `defaultBasemap: ${message}.`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short piece of text: a string, trimmed, within `max`, without control characters. */
function text(value: unknown, where: string, max: number): string {
  if (typeof value !== 'string')
    refuse(`${where} must be a string, not ${JSON.stringify(value)?.slice(0, 60)}`);
  const v = value.trim();
  if (v.length > max) refuse(`${where} is ${v.length} characters long; the limit is ${max}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
  if (/[\u0000-\u001f\u007f]/.test(v)) refuse(`${where} contains control characters (line breaks, tabs)`);
  return v;
}

function unknownKeys(obj: Record<string, unknown>, known: readonly string[], where: string): void {
  const extra = Object.keys(obj).filter((k) => !known.includes(k));
  if (extra.length)
    refuse(
      `${where} has ${extra.map((k) => `'${k.slice(0, 40)}'`).join(', ')}, which the portal does not take; it takes ${known.join(', ')}`,
    );
}

function layer(value: unknown, i: number, rules: UrlRules): BasemapLayerJson {
  const where = `baseMapLayers[${i}]`;
  if (!isObject(value)) refuse(`${where} must be an object with layerType and templateUrl (or url)`);
  const type = value.layerType;
  if (typeof type !== 'string' || !LAYER_TYPES.includes(type))
    refuse(
      `${where}.layerType is ${type === undefined ? 'missing' : JSON.stringify(type).slice(0, 60)}; it must be WebTiledLayer (a tile URL template) or ArcGISTiledMapServiceLayer (a tiled map service)`,
    );
  unknownKeys(value, LAYER_KEYS[type]!, where);
  const id = value.id === undefined ? undefined : text(value.id, `${where}.id`, 100);
  if (id !== undefined && !/^[\w.-]+$/.test(id))
    refuse(`${where}.id '${id.slice(0, 60)}' may hold letters, digits, _, . and - only`);
  const copyright =
    value.copyright === undefined
      ? ''
      : text(value.copyright, `${where}.copyright`, MAX_BASEMAP_COPYRIGHT_LENGTH);
  const credit = copyright ? { copyright } : {};
  if (type === 'WebTiledLayer') {
    if (typeof value.templateUrl !== 'string' || value.templateUrl.trim() === '')
      refuse(
        `${where}.templateUrl is missing: give a tile URL such as https://tiles.example.org/{level}/{col}/{row}.png`,
      );
    const t = tileTemplate(value.templateUrl.trim(), rules);
    if (typeof t === 'string') refuse(`${where}.${t}`);
    return { ...(id ? { id } : {}), layerType: 'WebTiledLayer', templateUrl: t.templateUrl, ...credit };
  }
  if (typeof value.url !== 'string' || value.url.trim() === '')
    refuse(
      `${where}.url is missing: give a tiled map service URL such as https://host/arcgis/rest/services/Name/MapServer`,
    );
  const s = mapServiceUrl(value.url.trim(), rules);
  if (typeof s === 'string') refuse(`${where}.${s}`);
  return { ...(id ? { id } : {}), layerType: 'ArcGISTiledMapServiceLayer', url: s.url, ...credit };
}

/** The basemap to store, or null to remove it ('' , null, 'null' or {}). */
export function parseDefaultBasemap(
  value: string | Record<string, unknown> | null,
  rules: UrlRules,
): DefaultBasemapJson | null {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    const v = value.trim();
    if (v === '' || v === 'null') return null;
    if (v.length > MAX_BASEMAP_JSON_LENGTH)
      refuse(`it is ${v.length} characters of JSON; the limit is ${MAX_BASEMAP_JSON_LENGTH}`);
    try {
      parsed = parseClientJson('defaultBasemap', v);
    } catch (err) {
      refuse(
        `it is not valid JSON (${(err as Error).message.replace(/^'defaultBasemap' /, '').replace(/\.$/, '')})`,
      );
    }
  } else if (value !== null && JSON.stringify(value).length > MAX_BASEMAP_JSON_LENGTH)
    refuse(`it is more than ${MAX_BASEMAP_JSON_LENGTH} characters of JSON`);
  if (parsed === null) return null;
  if (!isObject(parsed)) refuse('it must be a JSON object {"title":…,"baseMapLayers":[…]}');
  if (Object.keys(parsed).length === 0) return null;
  unknownKeys(parsed, ['title', 'baseMapLayers'], 'it');
  if (parsed.title === undefined) refuse('title is missing: name the basemap (shown in the settings)');
  const title = text(parsed.title, 'title', MAX_BASEMAP_TITLE_LENGTH);
  if (!title) refuse('title is empty: name the basemap (shown in the settings)');
  const layers = parsed.baseMapLayers;
  if (!Array.isArray(layers) || layers.length === 0)
    refuse(
      'baseMapLayers must be a list of at least one layer, [{"layerType":"WebTiledLayer","templateUrl":…}]',
    );
  if (layers.length > MAX_BASEMAP_LAYERS)
    refuse(`baseMapLayers has ${layers.length} layers; the limit is ${MAX_BASEMAP_LAYERS}`);
  return { title, baseMapLayers: layers.map((l, i) => layer(l, i, rules)) };
}
