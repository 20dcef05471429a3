import { open } from 'node:fs/promises';
import { jsonDepthExceeds } from '../http/json-body.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { ItemDataMismatch } from './errors.ts';

/**
 * Item types whose data has a known format. An item declared as one of them must carry data
 * of that format: a PNG uploaded as "GeoJSON" is refused with the reason, not stored.
 */
const GEOJSON_TYPES = new Set([
  'FeatureCollection',
  'Feature',
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
]);

/** Files up to this size are parsed whole; beyond it only their beginning is checked. */
const FULL_CHECK_BYTES = 8 * 1024 * 1024;
const HEAD_BYTES = 64 * 1024;

/** The data to check: text, or a file of `size` bytes whose first bytes head() reads. */
export type DataSource = { text: string } | { size: number; head(bytes: number): Promise<Buffer> };

type Checker = (text: string, whole: boolean) => string | undefined;

function asJson(text: string): { value?: unknown; problem?: string } {
  if (jsonDepthExceeds(text, 256)) return { problem: 'is JSON nested more than 256 levels deep' };
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { problem: `is not valid JSON (${(err as Error).message})` };
  }
}

function startsWithObject(text: string): boolean {
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{');
}

const checkGeoJson: Checker = (text, whole) => {
  if (!whole) return startsWithObject(text) ? undefined : 'does not start with a JSON object';
  const { value, problem } = asJson(text.replace(/^\uFEFF/, ''));
  if (problem) return problem;
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a JSON object';
  if (typeof type !== 'string' || !GEOJSON_TYPES.has(type))
    return `has no GeoJSON "type" (FeatureCollection, Feature or a geometry type)${typeof type === 'string' ? `; it says "${type.slice(0, 40)}"` : ''}`;
  if (type === 'FeatureCollection' && !Array.isArray((value as { features?: unknown }).features))
    return 'is a FeatureCollection without a "features" array';
  return undefined;
};

const checkWebMap: Checker = (text, whole) => {
  if (!whole) return startsWithObject(text) ? undefined : 'does not start with a JSON object';
  const { value, problem } = asJson(text);
  if (problem) return problem;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a JSON object';
  const map = value as { operationalLayers?: unknown; baseMap?: unknown };
  if (map.operationalLayers !== undefined && !Array.isArray(map.operationalLayers))
    return '"operationalLayers" is not an array';
  if (map.baseMap !== undefined && (typeof map.baseMap !== 'object' || map.baseMap === null))
    return '"baseMap" is not an object';
  return undefined;
};

const checkCsv: Checker = (text) => {
  if (text.includes('\u0000')) return 'contains NUL bytes: it is a binary file, not text';
  if (text.includes('\uFFFD')) return 'is not UTF-8 text';
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (header.trim() === '') return 'has no header line';
  return undefined;
};

const CHECKERS: Record<string, { format: string; check: Checker }> = {
  geojson: { format: 'GeoJSON', check: checkGeoJson },
  'web map': { format: 'Web Map JSON', check: checkWebMap },
  csv: { format: 'CSV', check: checkCsv },
};

/** The first bytes of a file. */
export async function readFileHead(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Refuses data that does not match an item type of known format; other types pass. */
export async function checkItemDataFormat(type: string, source: DataSource | undefined): Promise<void> {
  const checker = CHECKERS[type.trim().toLowerCase()];
  if (!checker || !source) return;
  let text: string;
  let whole = true;
  if ('text' in source) text = source.text;
  else if (source.size <= FULL_CHECK_BYTES) text = (await source.head(source.size)).toString('utf8');
  else {
    whole = false;
    // The head may end inside a multi-byte character: drop a trailing replacement character.
    text = (await source.head(HEAD_BYTES)).toString('utf8').replace(/\uFFFD$/, '');
  }
  if (text === '') return;
  const problem = checker.check(text, whole);
  if (problem)
    throw new MeridianError(
      ItemDataMismatch,
      `The item is declared as "${type}" but its data ${problem}. Upload ${checker.format} data, or declare the item's real type.`,
    );
}
