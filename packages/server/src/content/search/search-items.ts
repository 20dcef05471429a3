import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../../kernel/db/column-types.ts';
import type { Database } from '../../kernel/db/schema.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { InvalidSearch } from '../errors.ts';
import { type ItemRow, itemJson } from '../item-json.ts';
import type { Viewer } from '../viewer.ts';
import { viewerAccess } from './access.ts';
import { parseBbox } from './bbox.ts';
import { splitCondition, toCondition } from './condition.ts';
import { parseQuery } from './parse-query.ts';
import { SEARCH_SETTINGS } from './pg-settings.ts';
import { planSearch } from './plan.ts';
import type { PageStrategy, Plan, SearchPath } from './plan-input.ts';
import { parseSort } from './sort.ts';

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

function checkPaging(params: SearchParams): { start: number; num: number } {
  const start = params.start ?? 1;
  const num = params.num ?? 10;
  if (!Number.isInteger(start) || start < 1 || start > MAX_START)
    bad(`Invalid start ${start}: it is 1-based and at most ${MAX_START}.`);
  if (!Number.isInteger(num) || num < 0 || num > MAX_NUM) bad(`Invalid num ${num}: use 0 to ${MAX_NUM}.`);
  return { start, num };
}

/**
 * The groups a user belongs to (items shared with them are visible to the user). On PostgreSQL
 * the same statement, the first of the search's transaction, sets its planner settings (see
 * inSearchTransaction): one round trip for both.
 */
async function groupsOf(db: Kysely<Database>, viewer: Viewer): Promise<string[]> {
  const username = viewer.isAdmin ? null : viewer.username;
  if (isPostgres(db as Kysely<unknown>)) {
    const r = await sql<{
      groups: string[];
    }>`SELECT ${SEARCH_SETTINGS}, ARRAY(SELECT group_id FROM group_members WHERE username = ${username} ORDER BY group_id) AS groups`.execute(
      db,
    );
    return r.rows[0]?.groups ?? [];
  }
  if (!username) return [];
  const rows = await db
    .selectFrom('group_members')
    .select('group_id')
    .where('username', '=', username)
    .execute();
  return rows.map((r) => r.group_id).sort();
}

/** The plan of a search (its statements need the database only to run). */
export async function searchQueries(
  db: Kysely<Database>,
  viewer: Viewer,
  orgId: string,
  params: SearchParams,
  force: SearchForce = {},
): Promise<{ start: number; num: number; path: SearchPath; plan: Plan; nothing: boolean }> {
  const { start, num } = checkPaging(params);
  const bbox = params.bbox ? parseBbox(params.bbox) : null;
  const sort = parseSort(params.sortField, params.sortOrder);
  const condition = toCondition(parseQuery(params.q ?? ''), { orgId });
  const access = viewerAccess(viewer, await groupsOf(db, viewer));
  const plan = planSearch({
    dialect: isPostgres(db as Kysely<unknown>) ? 'postgres' : 'sqlite',
    condition,
    ...splitCondition(condition),
    access,
    bbox,
    sort,
    start,
    num,
    force,
  });
  return { start, num, path: plan.path, plan, nothing: condition.kind === 'false' };
}

/** On PostgreSQL, a search runs in a transaction with its planner settings (pg-settings.ts). */
async function inSearchTransaction<T>(
  db: Kysely<Database>,
  run: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return isPostgres(db as Kysely<unknown>) ? db.transaction().execute(run) : run(db);
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
  path: SearchPath;
  page: PageStrategy | 'none';
}> {
  return inSearchTransaction(db, async (conn) => {
    const q = await searchQueries(conn, viewer, orgId, params, force);
    const { start, num, path } = q;
    const none = { start, num, path, total: 0, ids: [] as string[], page: 'none' as const };
    if (q.nothing) return none;
    const counted = (await q.plan.count.execute(conn)).rows[0];
    const total = Number(counted?.n ?? 0);
    if (!(num > 0 && start <= total)) return { ...none, total };
    const page = q.plan.page(total, Number(counted?.docs ?? 0));
    const ids = (await page.query.execute(conn)).rows.map((r) => r.item_id);
    return { start, num, total, ids, path, page: page.strategy };
  });
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
