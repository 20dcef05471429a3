import { type RawBuilder, sql } from 'kysely';
import type { Access } from './access.ts';
import type { Bbox } from './bbox.ts';
import type { Condition, TextQuery } from './condition.ts';
import type { Dialect } from './condition-sql.ts';
import { PARTITIONS, type Partition } from './partition.ts';
import type { SortKey } from './sort.ts';
import { sortNeedsItems } from './sort-sql.ts';

/**
 * How a search is answered.
 *
 * - 'terms': the query has words (or owner:, group:, access:) that every match must have. The
 *   database's full-text engine answers them together with the viewer's access tokens in one
 *   index query (FTS5 MATCH; tsvector @@ tsquery over GIN); what is left (id:, created ranges,
 *   bbox) is checked on the matches.
 * - 'general': the rest (`*`, ranges alone, words only under OR with a range): the condition is
 *   checked on search_docs rows, each text part by the engine, the access filter in SQL.
 *
 * A page is read by one of two strategies:
 * - 'walk': rows in sort order, each checked, until the page is full: cheap when matches are
 *   dense. On SQLite, sorting by modified is the engine's own order (rowid = doc, doc-key.ts),
 *   so the engine walks its matches and stops at the page.
 * - 'sort': every match, sorted: cheap when matches are few.
 */
export type SearchPath = 'terms' | 'general';
export type PageStrategy = 'walk' | 'sort';

export interface PlanInput {
  dialect: Dialect;
  /** The whole condition of q. */
  condition: Condition;
  /** Its part for the engine (null: none), and the rest. */
  text: TextQuery | null;
  rest: Condition[];
  access: Access;
  bbox: Bbox | null;
  sort: SortKey[];
  start: number;
  num: number;
  force?: { path?: 'general'; page?: PageStrategy };
}

export interface Plan {
  path: SearchPath;
  /** n: the total; docs: the number of indexed items when the page strategy needs it. */
  count: RawBuilder<{ n: number | string; docs?: number | string | null }>;
  page(total: number, docs: number): { strategy: PageStrategy; query: RawBuilder<{ item_id: string }> };
}

/**
 * Walk when it reads at most this many rows per match (measured): each row read costs a lookup
 * of the words (SQLite: an FTS5 query for one rowid, some ten times what collecting one match
 * costs; PostgreSQL: a tsvector read from TOAST and checked, about twice a match's cost).
 */
const WALK_ROWS_PER_MATCH: Record<Dialect, number> = { sqlite: 0.1, postgres: 0.4 };

export function chooseWalk(input: PlanInput, total: number, docs: number): boolean {
  if (input.force?.page) return input.force.page === 'walk';
  if (!(docs > 0)) return false;
  const read = ((input.start + input.num - 1) * docs) / Math.max(total, 1);
  return read <= total * WALK_ROWS_PER_MATCH[input.dialect];
}

export function limit(input: PlanInput) {
  return sql`LIMIT ${input.num} OFFSET ${input.start - 1}`;
}

export function itemsJoin(sort: readonly SortKey[], docs: string) {
  return sortNeedsItems(sort) ? sql`JOIN items i ON i.id = ${sql.ref(`${docs}.item_id`)}` : sql``;
}

export const DOC_COUNT: Record<Dialect, RawBuilder<unknown>> = {
  sqlite: sql`(SELECT count(*) FROM search_docs)`,
  // The planner's estimate is enough to choose a strategy (-1 or 0 before the first ANALYZE).
  postgres: sql`(SELECT reltuples::bigint FROM pg_class WHERE oid = 'search_docs'::regclass)`,
};

/**
 * The engine's queries: for each part of the index the viewer sees into (partition.ts), q's text
 * part and, where that part needs them, the viewer's access tokens.
 */
export function engineQueries(input: PlanInput): { partition: Partition; query: TextQuery }[] {
  const out: { partition: Partition; query: TextQuery }[] = [];
  for (const partition of PARTITIONS) {
    const access = input.access.partitions[partition];
    if (access === false) continue;
    out.push({
      partition,
      query: access === true ? input.text! : { kind: 'and', items: [input.text!, access] },
    });
  }
  return out;
}
