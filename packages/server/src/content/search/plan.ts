import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { type Access, accessSql } from './access.ts';
import { type Bbox, bboxSql, sqliteBboxDocs } from './bbox.ts';
import type { Condition, TextQuery } from './condition.ts';
import { allOf, conditionSql, type Dialect } from './condition-sql.ts';
import { fts5Query } from './fts5-query.ts';
import type { SortKey } from './sort.ts';
import { isKeyOrder, orderBy, sortNeedsItems } from './sort-sql.ts';
import { tsQuery } from './tsquery.ts';

/**
 * How a search is answered.
 *
 * - 'terms': the query has words (or owner:, group:, id:, access:) that every match must have.
 *   The database's full-text engine answers them together with the viewer's access tokens in
 *   one index query (FTS5 MATCH; tsvector @@ tsquery over GIN); what is left (created ranges,
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
 * Walk when it reads at most this many rows per match (SQLite checks a row against the matches
 * it holds in memory; PostgreSQL evaluates the tsvector of each row it reads).
 */
const WALK_ROWS_PER_MATCH: Record<Dialect, number> = { sqlite: 5, postgres: 0.3 };

function chooseWalk(input: PlanInput, total: number, docs: number): boolean {
  if (input.force?.page) return input.force.page === 'walk';
  if (!(docs > 0)) return false;
  const read = ((input.start + input.num - 1) * docs) / Math.max(total, 1);
  return read <= total * WALK_ROWS_PER_MATCH[input.dialect];
}

function limit(input: PlanInput) {
  return sql`LIMIT ${input.num} OFFSET ${input.start - 1}`;
}

function itemsJoin(sort: readonly SortKey[], docs: string) {
  return sortNeedsItems(sort) ? sql`JOIN items i ON i.id = ${sql.ref(`${docs}.item_id`)}` : sql``;
}

const DOC_COUNT: Record<Dialect, RawBuilder<unknown>> = {
  sqlite: sql`(SELECT count(*) FROM search_docs)`,
  // The planner's estimate is enough to choose a strategy (-1 or 0 before the first ANALYZE).
  postgres: sql`(SELECT reltuples::bigint FROM pg_class WHERE oid = 'search_docs'::regclass)`,
};

/** The columns a 'sort' page orders by, from search_docs `d`. */
const SORT_COLUMNS = sql`d.doc, d.item_id, d.title_sort, d.created, d.owner`;

/** Rows of search_docs `d` checked in SQL: the general path, and the pages of PostgreSQL. */
function rowsPlan(
  input: PlanInput,
  path: SearchPath,
  where: RawBuilder<SqlBool>[],
  walkWhere: RawBuilder<SqlBool>[],
): Plan {
  const needsDocs = !(input.dialect === 'sqlite' && isKeyOrder(input.sort)) && path === 'terms';
  return {
    path,
    count: sql`SELECT count(*) AS n${needsDocs ? sql`, ${DOC_COUNT[input.dialect]} AS docs` : sql``} FROM search_docs d WHERE ${allOf(where)}`,
    page(total, docs) {
      const walk = path === 'general' ? input.force?.page !== 'sort' : chooseWalk(input, total, docs);
      if (walk)
        return {
          strategy: 'walk',
          query: sql`SELECT d.item_id FROM search_docs d ${itemsJoin(input.sort, 'd')} WHERE ${allOf(walkWhere)} ORDER BY ${orderBy(input.sort, 'd')} ${limit(input)}`,
        };
      const materialized = input.dialect === 'postgres' ? sql`MATERIALIZED` : sql``;
      return {
        strategy: 'sort',
        query: sql`WITH m AS ${materialized} (SELECT ${SORT_COLUMNS} FROM search_docs d WHERE ${allOf(where)}) SELECT m.item_id FROM m ${itemsJoin(input.sort, 'm')} ORDER BY ${orderBy(input.sort, 'm')} ${limit(input)}`,
      };
    },
  };
}

function generalPlan(input: PlanInput): Plan {
  const where = [conditionSql(input.dialect, input.condition)];
  if (input.bbox) where.push(bboxSql(input.dialect, input.bbox));
  const access = accessSql(input.access);
  const plan = rowsPlan(
    input,
    'general',
    access ? [...where, access] : where,
    access ? [...where, access] : where,
  );
  const parts = input.access.parts;
  if (!parts || parts.length < 2) return plan;
  // Counted part by part: each is a range of an index (vis, owner, the user's groups' shares).
  const counts = parts.map((p) => sql`(SELECT count(*) FROM search_docs d WHERE ${allOf([p, ...where])})`);
  return { ...plan, count: sql`SELECT ${sql.join(counts, sql` + `)} AS n` };
}

/** The engine's query: q's text part and the viewer's access tokens. */
function engineQuery(input: PlanInput): TextQuery {
  const text = input.text!;
  return input.access.text ? { kind: 'and', items: [text, input.access.text] } : text;
}

function postgresTermsPlan(input: PlanInput): Plan {
  const q = tsQuery(engineQuery(input));
  const rest = input.rest.map((c) => conditionSql('postgres', c));
  const where = [sql<SqlBool>`d.tsv @@ ${q}::tsquery`, ...rest];
  // A walk must read in sort order: no index of the tsvector or of the extents may drive it.
  const walkWhere = [sql<SqlBool>`coalesce(d.tsv @@ ${q}::tsquery, false)`, ...rest];
  const box = input.bbox ? [bboxSql('postgres', input.bbox)] : [];
  if (input.bbox) walkWhere.push(bboxSql('postgres', input.bbox, false));
  const plan = rowsPlan(input, 'terms', [...where, ...box], walkWhere);
  const parts = input.access.textParts;
  if (!parts || parts.length < 2) return plan;
  // Counted part by part: GIN intersects the words with one large access token (organisation
  // and public) far faster than with an alternative of it and the user's own tokens.
  const counts = parts.map((part) => {
    const pq = tsQuery({ kind: 'and', items: [input.text!, part] });
    return sql`(SELECT count(*) FROM search_docs d WHERE ${allOf([sql<SqlBool>`d.tsv @@ ${pq}::tsquery`, ...rest, ...box])})`;
  });
  return { ...plan, count: sql`SELECT ${sql.join(counts, sql` + `)} AS n, ${DOC_COUNT.postgres} AS docs` };
}

function sqliteTermsPlan(input: PlanInput): Plan {
  const match = [sql<SqlBool>`search_fts MATCH ${fts5Query(engineQuery(input))}`];
  // The unary + keeps SQLite from handing the list to FTS5 one rowid at a time.
  if (input.bbox) match.push(sql<SqlBool>`+search_fts.rowid IN (${sqliteBboxDocs(input.bbox)})`);
  const rest = input.rest.map((c) => conditionSql('sqlite', c));
  const matches = sql`SELECT search_fts.rowid AS doc FROM search_fts WHERE ${allOf(match)}`;
  const keyOrder = isKeyOrder(input.sort);
  // The engine's matches joined to search_docs `d` (rowid order kept: FTS5 drives the join).
  const joined = rest.length
    ? sql`search_fts CROSS JOIN search_docs d ON d.doc = search_fts.rowid WHERE ${allOf([...match, ...rest])}`
    : sql`search_fts WHERE ${allOf(match)}`;
  return {
    path: 'terms',
    count: sql`SELECT count(*) AS n${keyOrder ? sql`` : sql`, ${DOC_COUNT.sqlite} AS docs`} FROM ${joined}`,
    page(total, docs) {
      if (keyOrder) {
        const dir = sql.raw(input.sort[0]!.direction === 'asc' ? 'ASC' : 'DESC');
        return {
          strategy: 'walk',
          query: sql`SELECT o.item_id FROM (SELECT search_fts.rowid AS doc FROM ${joined} ORDER BY search_fts.rowid ${dir} ${limit(input)}) p JOIN search_docs o ON o.doc = p.doc ORDER BY p.doc ${dir}`,
        };
      }
      const items = itemsJoin(input.sort, 'd');
      const order = orderBy(input.sort, 'd');
      if (chooseWalk(input, total, docs))
        return {
          strategy: 'walk',
          query: sql`SELECT d.item_id FROM search_docs d ${items} WHERE ${allOf([sql<SqlBool>`+d.doc IN (${matches})`, ...rest])} ORDER BY ${order} ${limit(input)}`,
        };
      return {
        strategy: 'sort',
        query: sql`SELECT d.item_id FROM (${matches}) m CROSS JOIN search_docs d ON d.doc = m.doc ${items} WHERE ${allOf(rest)} ORDER BY ${order} ${limit(input)}`,
      };
    },
  };
}

export function planSearch(input: PlanInput): Plan {
  if (input.force?.path === 'general' || !input.text) return generalPlan(input);
  return input.dialect === 'postgres' ? postgresTermsPlan(input) : sqliteTermsPlan(input);
}
