import type { LayerDef, QueryMode, QueryPlan } from '../plan.ts';
import { badQuery } from './errors.ts';
import { fieldList, findField } from './fields.ts';
import { parseSpatialFilter } from './spatial-filter.ts';
import { canonicalWkid, clip, parseSpatialReference, WGS84 } from './spatial-reference.ts';
import { parseStatistics } from './statistics.ts';
import { parseWhere } from './where.ts';

/**
 * The parameters of `…/FeatureServer/<layer>/query` (as strings: query string or form body)
 * into a QueryPlan checked against one layer, plus the output spatial reference and format.
 * Parameter names are matched case-insensitively, as ArcGIS Server does.
 */

export type QueryFormat = 'json' | 'pjson' | 'geojson';

export interface ParsedQuery {
  plan: QueryPlan;
  /** Canonical wkid of the output (3857 for 102100); 4326 for GeoJSON. */
  outSR: number;
  format: QueryFormat;
}

export const MAX_OBJECT_IDS = 10_000;

export function parseQuery(
  params: Record<string, string | undefined>,
  layer: LayerDef,
  opts: { maxRecordCount: number },
): ParsedQuery {
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) lower.set(k.toLowerCase(), v);
  const get = (name: string): string | undefined => lower.get(name.toLowerCase());

  const format = parseFormat(get('f'));
  const mode = parseMode(get);
  const stats = parseStatistics(get('outStatistics'), get('groupByFieldsForStatistics'), layer);
  const effectiveMode: QueryMode = mode === 'features' && stats ? 'stats' : mode;
  const requestedOutSR = parseSpatialReference('outSR', get('outSR'), layer.wkid);
  const offset = nonNegativeInt('resultOffset', get('resultOffset')) ?? 0;
  const requested = nonNegativeInt('resultRecordCount', get('resultRecordCount'));
  const max = Math.max(1, Math.floor(opts.maxRecordCount));

  const plan: QueryPlan = {
    mode: effectiveMode,
    where: parseWhere(get('where') ?? '', layer),
    outFields: effectiveMode === 'features' ? parseOutFields(get('outFields'), layer) : [layer.objectIdField],
    returnGeometry:
      effectiveMode === 'features' &&
      layer.geometryType !== null &&
      parseBool('returnGeometry', get('returnGeometry'), true),
    orderBy: stats
      ? parseStatsOrderBy(
          get('orderByFields'),
          stats.groupBy,
          stats.statistics.map((s) => s.outName),
        )
      : parseOrderBy(get('orderByFields'), layer),
    offset: effectiveMode === 'count' || effectiveMode === 'extent' ? 0 : offset,
  };
  if (effectiveMode === 'features' || effectiveMode === 'stats') plan.limit = Math.min(requested ?? max, max);
  const objectIds = parseObjectIds(get('objectIds'));
  if (objectIds) plan.objectIds = objectIds;
  const spatial = parseSpatialFilter(get, layer);
  if (spatial) plan.spatial = spatial;
  if (effectiveMode === 'stats' && stats) {
    plan.statistics = stats.statistics;
    plan.groupBy = stats.groupBy;
  }
  const outSR = format === 'geojson' ? WGS84 : (requestedOutSR ?? canonicalWkid(layer.wkid));
  return { plan, outSR, format };
}

function parseFormat(raw: string | undefined): QueryFormat {
  const f = (raw ?? '').trim().toLowerCase();
  if (f === '' || f === 'json') return 'json';
  if (f === 'pjson' || f === 'geojson') return f;
  throw badQuery('f', `'${clip(raw!)}' is not supported; use json, pjson or geojson`);
}

/** returnExtentOnly (answers the count too) > returnCountOnly > returnIdsOnly > features. */
function parseMode(get: (name: string) => string | undefined): QueryMode {
  if (parseBool('returnExtentOnly', get('returnExtentOnly'), false)) return 'extent';
  if (parseBool('returnCountOnly', get('returnCountOnly'), false)) return 'count';
  if (parseBool('returnIdsOnly', get('returnIdsOnly'), false)) return 'ids';
  return 'features';
}

export function parseBool(name: string, raw: string | undefined, dflt: boolean): boolean {
  if (raw === undefined || raw.trim() === '') return dflt;
  const v = raw.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw badQuery(name, `expected true or false, found '${clip(raw)}'`);
}

function nonNegativeInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = raw.trim();
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw badQuery(name, `expected a whole number of 0 or more, found '${clip(raw)}'`);
  }
  return Number(v);
}

/** `*`, or a comma list of field names; absent: the object id only. The OID is always included. */
function parseOutFields(raw: string | undefined, layer: LayerDef): string[] {
  const names = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.includes('*')) return layer.fields.map((f) => f.name);
  const out = [layer.objectIdField];
  for (const name of names) {
    const f = findField(layer, name);
    if (!f)
      throw badQuery('outFields', `unknown field '${clip(name)}' (the layer's fields: ${fieldList(layer)})`);
    if (!out.includes(f.name)) out.push(f.name);
  }
  return out;
}

type OrderKey = { field: string; dir: 'ASC' | 'DESC' };

function parseOrderKeys(
  raw: string | undefined,
  resolve: (name: string) => string | undefined,
  known: string,
): OrderKey[] {
  const keys: OrderKey[] = [];
  for (const part of (raw ?? '').split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const m = /^("?)([A-Za-z_][A-Za-z0-9_]*)\1(?:\s+(ASC|DESC))?$/i.exec(item);
    if (!m) throw badQuery('orderByFields', `expected 'field [ASC|DESC]', found '${clip(item)}'`);
    const field = resolve(m[2]!);
    if (!field) throw badQuery('orderByFields', `unknown field '${m[2]}' (${known})`);
    if (keys.some((k) => k.field === field)) continue;
    keys.push({ field, dir: (m[3]?.toUpperCase() ?? 'ASC') as 'ASC' | 'DESC' });
  }
  return keys;
}

/** The order keys; the object id is always the last key, so that pages are stable. */
function parseOrderBy(raw: string | undefined, layer: LayerDef): OrderKey[] {
  const keys = parseOrderKeys(
    raw,
    (n) => findField(layer, n)?.name,
    `the layer's fields: ${fieldList(layer)}`,
  );
  if (!keys.some((k) => k.field === layer.objectIdField))
    keys.push({ field: layer.objectIdField, dir: 'ASC' });
  return keys;
}

/** For statistics: keys among the group-by fields and the output names; then every group-by field, ascending. */
function parseStatsOrderBy(raw: string | undefined, groupBy: string[], outNames: string[]): OrderKey[] {
  const names = [...groupBy, ...outNames];
  const keys = parseOrderKeys(
    raw,
    (n) => names.find((x) => x.toLowerCase() === n.toLowerCase()),
    `with outStatistics, order by the group-by fields or the statistics' output names: ${names.join(', ')}`,
  );
  for (const g of groupBy) if (!keys.some((k) => k.field === g)) keys.push({ field: g, dir: 'ASC' });
  return keys;
}

function parseObjectIds(raw: string | undefined): number[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const ids = new Set<number>();
  for (const part of raw.split(',')) {
    const v = part.trim();
    if (v === '') continue;
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
      throw badQuery('objectIds', `'${clip(v)}' is not an object id (a whole number)`);
    }
    ids.add(Number(v));
    if (ids.size > MAX_OBJECT_IDS) throw badQuery('objectIds', `more than ${MAX_OBJECT_IDS} object ids`);
  }
  if (ids.size === 0) return undefined;
  return [...ids].sort((a, b) => a - b);
}
