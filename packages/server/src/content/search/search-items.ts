import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { MeridianError } from '../../errors/meridian-error.ts';
import { InvalidSearch } from '../errors.ts';
import { type ItemRow, itemJson } from '../item-json.ts';
import type { Viewer } from '../viewer.ts';
import { itemAccessFilter } from './access-filter.ts';
import { parseQuery } from './parse-query.ts';
import { parseSort } from './sort.ts';
import { termPathLookups, termPathQueries } from './term-path.ts';
import { queryToSql } from './to-sql.ts';

export interface SearchParams {
  q?: string;
  bbox?: string;
  sortField?: string;
  sortOrder?: string;
  start?: number;
  num?: number;
}

export interface SearchAnswer {
  query: string;
  total: number;
  start: number;
  num: number;
  nextStart: number;
  results: Record<string, unknown>[];
}

/** Deep paging costs a scan of everything skipped; ArcGIS has the same ceiling. */
export const MAX_START = 10_000;
export const MAX_NUM = 100;

function bad(message: string): never {
  throw new MeridianError(InvalidSearch, message);
}

export function parseBbox(bbox: string): RawBuilder<SqlBool> {
  const parts = bbox.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n)))
    bad(`Invalid bbox '${bbox.slice(0, 60)}': write xmin,ymin,xmax,ymax, for example -10,40,5,52.`);
  const [xmin, ymin, xmax, ymax] = nums as [number, number, number, number];
  if (xmin > xmax || ymin > ymax)
    bad(`Invalid bbox '${bbox.slice(0, 60)}': xmin must not exceed xmax, nor ymin ymax.`);
  return sql<SqlBool>`(items.extent_xmin <= ${xmax} AND items.extent_xmax >= ${xmin} AND items.extent_ymin <= ${ymax} AND items.extent_ymax >= ${ymin})`;
}

function checkPaging(params: SearchParams): { start: number; num: number } {
  const start = params.start ?? 1;
  const num = params.num ?? 10;
  if (!Number.isInteger(start) || start < 1 || start > MAX_START)
    bad(`Invalid start ${start}: it is 1-based and at most ${MAX_START}.`);
  if (!Number.isInteger(num) || num < 0 || num > MAX_NUM) bad(`Invalid num ${num}: use 0 to ${MAX_NUM}.`);
  return { start, num };
}

/** The general path: one condition on items (query, bbox, access), any sort. */
export function searchQueries(db: Kysely<Database>, viewer: Viewer, orgId: string, params: SearchParams) {
  const { start, num } = checkPaging(params);
  const parts: RawBuilder<SqlBool>[] = [queryToSql(parseQuery(params.q ?? ''), { orgId })];
  if (params.bbox) parts.push(parseBbox(params.bbox));
  const access = itemAccessFilter(viewer);
  if (access) parts.push(access);
  const where = sql<SqlBool>`${sql.join(parts, sql` AND `)}`;
  const sort = parseSort(params.sortField, params.sortOrder);
  const count = db
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where(where);
  let page = db.selectFrom('items').select('items.id').where(where);
  for (const k of sort) page = page.orderBy(k.column, k.direction);
  page = page
    .orderBy('items.id', 'asc')
    .limit(num)
    .offset(start - 1);
  return { start, num, count, page };
}

/** The ids of one page and the total, by the fast path when the query has its shape. */
export async function searchIds(
  db: Kysely<Database>,
  viewer: Viewer,
  orgId: string,
  params: SearchParams,
): Promise<{ start: number; num: number; total: number; ids: string[]; path: 'terms' | 'general' }> {
  const { start, num } = checkPaging(params);
  if (params.bbox) parseBbox(params.bbox);
  const sort = parseSort(params.sortField, params.sortOrder);
  const lookups = termPathLookups(parseQuery(params.q ?? ''), sort, !!params.bbox);
  if (lookups) {
    const q = await termPathQueries(db, viewer, lookups, sort[0]!, start, num);
    const total = Number((await q.count.execute(db)).rows[0]?.n ?? 0);
    const ids = num > 0 && start <= total ? (await q.page.execute(db)).rows.map((r) => r.id) : [];
    return { start, num, total, ids, path: 'terms' };
  }
  const q = searchQueries(db, viewer, orgId, params);
  const total = Number((await q.count.executeTakeFirstOrThrow()).n);
  const ids = num > 0 && start <= total ? (await q.page.execute()).map((r) => r.id) : [];
  return { start, num, total, ids, path: 'general' };
}

/** sharing/rest/search: the items the viewer may see that match q and bbox, one page. */
export async function searchItems(
  db: Kysely<Database>,
  viewer: Viewer,
  orgId: string,
  params: SearchParams,
): Promise<SearchAnswer> {
  const { start, num, total, ids } = await searchIds(db, viewer, orgId, params);
  // Only the page's rows are read in full.
  const full = ids.length ? await db.selectFrom('items').selectAll().where('id', 'in', ids).execute() : [];
  const byId = new Map(full.map((r) => [r.id, r]));
  const rows = ids.map((id) => byId.get(id)).filter((r): r is ItemRow => r !== undefined);
  return {
    query: params.q ?? '',
    total,
    start,
    num,
    nextStart: start + num <= total && num > 0 ? start + num : -1,
    results: rows.map((r) => itemJson(r, orgId)),
  };
}
