import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { isPostgres } from '../../kernel/db/column-types.ts';
import type { Database } from '../../kernel/db/schema.ts';
import { type Driver, driverRows, isSimple } from './plan.ts';
import type { SortKey } from './sort.ts';

/**
 * One page of results, by one of two strategies:
 * - 'sort': take every match (from the driver's entries) and sort them: cheap when the matches
 *   are few.
 * - 'walk': read search_docs in sort order (its (key, doc) indexes) and check the whole
 *   condition on each row until the page is full: cheap when matches are dense, since about
 *   (start + num) × docs / total rows are read. The general path always walks.
 * Ties are broken by doc, in the direction of the first key.
 */
export type PageStrategy = 'walk' | 'sort';

export interface PageInput {
  driver: Driver;
  /** The query's condition on x. */
  query: RawBuilder<SqlBool>;
  /** bbox and access conditions on x. */
  filters: RawBuilder<SqlBool>[];
  sort: SortKey[];
  start: number;
  num: number;
  total: number;
  force?: PageStrategy | undefined;
}

const DOC_COLUMNS = new Set<string>(['modified', 'created', 'title_sort']);
/** Walk when it reads fewer rows than this share of the matches. */
const WALK_SHARE = 0.5;

function keyRef(k: SortKey, docAlias: string, rowAlias: string | null) {
  if (rowAlias && (k.column === 'modified' || k.column === 'created'))
    return sql.ref(`${rowAlias}.${k.column}`);
  return sql.ref(DOC_COLUMNS.has(k.column) ? `${docAlias}.${k.column}` : `i.${k.column}`);
}

function orderBy(sort: SortKey[], docAlias: string, rowAlias: string | null) {
  const dir = (d: SortKey['direction']) => sql.raw(d === 'asc' ? 'ASC' : 'DESC');
  const keys = sort.map((k) => sql`${keyRef(k, docAlias, rowAlias)} ${dir(k.direction)}`);
  return sql`${sql.join(keys)}, ${sql.ref(`${rowAlias ?? docAlias}.doc`)} ${dir(sort[0]!.direction)}`;
}

async function walks(db: Kysely<Database>, input: PageInput): Promise<boolean> {
  if (input.force) return input.force === 'walk';
  if (input.driver.path === 'general') return true;
  if (input.sort.length !== 1 || !DOC_COLUMNS.has(input.sort[0]!.column)) return false;
  // PostgreSQL turns the walk's EXISTS probes into joins over the whole posting lists (seen with
  // EXPLAIN ANALYZE), so the walk stops being one: it sorts the driver's matches instead.
  if (isPostgres(db as Kysely<unknown>)) return false;
  const r = await sql<{ n: number | string | null }>`SELECT max(doc) AS n FROM search_docs`.execute(db);
  const docs = Number(r.rows[0]?.n ?? 0);
  return ((input.start + input.num - 1) * docs) / input.total <= input.total * WALK_SHARE;
}

export async function pageQuery(
  db: Kysely<Database>,
  input: PageInput,
): Promise<{ strategy: PageStrategy; query: RawBuilder<{ doc: number | string }> }> {
  const { driver, sort, start, num } = input;
  const needsItems = sort.some((k) => !DOC_COLUMNS.has(k.column));
  const limit = sql`LIMIT ${num} OFFSET ${start - 1}`;
  if (await walks(db, input)) {
    const join = needsItems ? sql`JOIN items i ON i.id = x.item_id` : sql``;
    const where = sql.join([input.query, ...input.filters], sql` AND `);
    return {
      strategy: 'walk',
      query: sql`SELECT x.doc FROM search_docs x ${join} WHERE ${where} ORDER BY ${orderBy(sort, 'x', null)} ${limit}`,
    };
  }
  // The driver's entries (u: doc, modified, created), deduplicated when needed.
  const onlyCopies = sort.every((k) => k.column === 'modified' || k.column === 'created');
  const join = onlyCopies
    ? sql``
    : needsItems
      ? sql`JOIN search_docs d ON d.doc = u.doc JOIN items i ON i.id = d.item_id`
      : sql`JOIN search_docs d ON d.doc = u.doc`;
  const group = isSimple(driver.sources!)
    ? sql``
    : sql`GROUP BY u.doc, ${sql.join(sort.map((k) => keyRef(k, 'd', 'u')))}`;
  return {
    strategy: 'sort',
    query: sql`SELECT u.doc FROM (${driverRows(driver, input.filters)}) u ${join} ${group} ORDER BY ${orderBy(sort, 'd', 'u')} ${limit}`,
  };
}
