import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { InvalidSearch } from '../errors.ts';
import { type ItemRow, itemJson } from '../item-json.ts';
import type { Viewer } from '../viewer.ts';
import { itemAccessFilter } from './access-filter.ts';
import { type PageStrategy, pageQuery } from './page.ts';
import { parseQuery } from './parse-query.ts';
import { chooseDriver, driverRows, isSimple } from './plan.ts';
import { parseSort } from './sort.ts';
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

/** For tests: force the general path, or a page strategy. */
export interface SearchForce {
  path?: 'general';
  page?: PageStrategy;
}

/** Deep paging costs a scan of everything skipped; ArcGIS has the same ceiling. */
export const MAX_START = 10_000;
export const MAX_NUM = 100;

function bad(message: string): never {
  throw new MeridianError(InvalidSearch, message);
}

/** bbox as a condition on the search_docs row of x.doc. */
export function parseBbox(bbox: string): RawBuilder<SqlBool> {
  const parts = bbox.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n)))
    bad(`Invalid bbox '${bbox.slice(0, 60)}': write xmin,ymin,xmax,ymax, for example -10,40,5,52.`);
  const [xmin, ymin, xmax, ymax] = nums as [number, number, number, number];
  if (xmin > xmax || ymin > ymax)
    bad(`Invalid bbox '${bbox.slice(0, 60)}': xmin must not exceed xmax, nor ymin ymax.`);
  return sql<SqlBool>`EXISTS (SELECT 1 FROM search_docs b WHERE b.doc = x.doc AND b.extent_xmin <= ${xmax} AND b.extent_xmax >= ${xmin} AND b.extent_ymin <= ${ymax} AND b.extent_ymax >= ${ymin})`;
}

function checkPaging(params: SearchParams): { start: number; num: number } {
  const start = params.start ?? 1;
  const num = params.num ?? 10;
  if (!Number.isInteger(start) || start < 1 || start > MAX_START)
    bad(`Invalid start ${start}: it is 1-based and at most ${MAX_START}.`);
  if (!Number.isInteger(num) || num < 0 || num > MAX_NUM) bad(`Invalid num ${num}: use 0 to ${MAX_NUM}.`);
  return { start, num };
}

/** The groups a user belongs to (their group-share entries are visible to them). */
async function groupsOf(db: Kysely<Database>, viewer: Viewer): Promise<string[]> {
  if (viewer.isAdmin || !viewer.username) return [];
  const rows = await db
    .selectFrom('group_members')
    .select('group_id')
    .where('username', '=', viewer.username)
    .execute();
  return rows.map((r) => r.group_id).sort();
}

function all(parts: RawBuilder<SqlBool>[]): RawBuilder<SqlBool> {
  return parts.length ? sql<SqlBool>`${sql.join(parts, sql` AND `)}` : sql<SqlBool>`1 = 1`;
}

/** The count and page statements of a search (the page statement needs the total). */
export async function searchQueries(
  db: Kysely<Database>,
  viewer: Viewer,
  orgId: string,
  params: SearchParams,
  force: SearchForce = {},
) {
  const { start, num } = checkPaging(params);
  const filters: RawBuilder<SqlBool>[] = [];
  if (params.bbox) filters.push(parseBbox(params.bbox));
  const sort = parseSort(params.sortField, params.sortOrder);
  const compiled = queryToSql(parseQuery(params.q ?? ''), { orgId });
  const access = itemAccessFilter(viewer, await groupsOf(db, viewer));
  if (access) filters.push(access);
  const driver = await chooseDriver(db, compiled, force.path);
  type N = { n: number | string };
  const count = !driver.sources
    ? sql<N>`SELECT count(*) AS n FROM search_docs x WHERE ${all([...driver.rest, ...filters])}`
    : isSimple(driver.sources)
      ? sql<N>`SELECT count(*) AS n FROM (${driverRows(driver, filters)}) u`
      : sql<N>`SELECT count(DISTINCT u.doc) AS n FROM (${driverRows(driver, filters)}) u`;
  const page = (total: number) =>
    pageQuery(db, { driver, query: compiled.sql, filters, sort, start, num, total, force: force.page });
  return { start, num, path: driver.path, count, page };
}

/** The ids of one page and the total. */
export async function searchIds(
  db: Kysely<Database>,
  viewer: Viewer,
  orgId: string,
  params: SearchParams,
  force: SearchForce = {},
): Promise<{
  start: number;
  num: number;
  total: number;
  ids: string[];
  path: 'terms' | 'general';
  page: PageStrategy | 'none';
}> {
  const q = await searchQueries(db, viewer, orgId, params, force);
  const { start, num, path } = q;
  const total = Number((await q.count.execute(db)).rows[0]?.n ?? 0);
  if (!(num > 0 && start <= total)) return { start, num, total, ids: [], path, page: 'none' };
  const page = await q.page(total);
  const docs = (await page.query.execute(db)).rows.map((r) => Number(r.doc));
  const rows = docs.length
    ? await db.selectFrom('search_docs').select(['doc', 'item_id']).where('doc', 'in', docs).execute()
    : [];
  const idOf = new Map(rows.map((r) => [Number(r.doc), r.item_id]));
  const ids = docs.map((d) => idOf.get(d)).filter((id): id is string => id !== undefined);
  return { start, num, total, ids, path, page: page.strategy };
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
