/**
 * The database engine's own query for a search shape, without access filtering: the limit
 * Meridian's search approaches (it adds the viewer's access, the query parser and planner, and
 * reading the page's items). Written by hand per shape over the same index (search_fts on
 * SQLite, search_docs.tsv on PostgreSQL; see content/search/sqlite-index.ts and pg-index.ts),
 * not by Meridian's compiler: a count, then the ids of one page of 10 in the shape's order.
 * PostgreSQL runs them under the settings a search runs under (pg-settings.ts).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { SEARCH_SETTINGS } from '../packages/server/src/content/search/pg-settings.ts';
import type { Database } from '../packages/server/src/kernel/db/schema.ts';

export interface EngineShape {
  /** The shape's words as an FTS5 query and as a tsquery; null: every item. */
  text: { fts: string; ts: string } | null;
  order: 'modified desc' | 'title asc' | 'created asc';
  start?: number;
  bbox?: readonly [number, number, number, number];
}

type Dialect = 'sqlite' | 'postgres';

/** FTS5: a query in the six text columns (free text). */
export const freeText = (expr: string) => `{title snippet description tags typekeywords type} : ${expr}`;

function bboxSql(dialect: Dialect, b: readonly [number, number, number, number], alias: string) {
  const [xmin, ymin, xmax, ymax] = b;
  const exact = sql`${sql.ref(`${alias}.extent_xmin`)} <= ${xmax} AND ${sql.ref(`${alias}.extent_xmax`)} >= ${xmin} AND ${sql.ref(`${alias}.extent_ymin`)} <= ${ymax} AND ${sql.ref(`${alias}.extent_ymax`)} >= ${ymin}`;
  if (dialect === 'postgres')
    return sql`box(point(${sql.ref(`${alias}.extent_xmin`)}, ${sql.ref(`${alias}.extent_ymin`)}), point(${sql.ref(`${alias}.extent_xmax`)}, ${sql.ref(`${alias}.extent_ymax`)})) && box(point(${xmin}, ${ymin}), point(${xmax}, ${ymax})) AND ${exact}`;
  return exact;
}

function order(shape: EngineShape, alias: string) {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  if (shape.order === 'title asc') return sql`${col('title_sort')} ASC, ${col('doc')} ASC`;
  if (shape.order === 'created asc') return sql`${col('created')} ASC, ${col('doc')} ASC`;
  return sql`${col('doc')} DESC`;
}

/** The count and page statements of a shape. */
export function engineStatements(
  dialect: Dialect,
  shape: EngineShape,
): { count: RawBuilder<{ n: number | string }>; page: RawBuilder<{ item_id: string }> } {
  const page = sql`LIMIT 10 OFFSET ${(shape.start ?? 1) - 1}`;
  if (!shape.text) {
    const where = shape.bbox ? sql`WHERE ${bboxSql(dialect, shape.bbox, 'd')}` : sql``;
    return {
      count: sql`SELECT count(*) AS n FROM search_docs d ${where}`,
      page: sql`SELECT d.item_id FROM search_docs d ${where} ORDER BY d.doc DESC ${page}`,
    };
  }
  if (dialect === 'postgres') {
    // Both partial GIN indexes (organisation and public items; the others): counts added.
    const where = (vis: RawBuilder<unknown>) =>
      sql`${vis} AND d.tsv @@ ${shape.text!.ts}::tsquery${shape.bbox ? sql` AND ${bboxSql(dialect, shape.bbox, 'd')}` : sql``}`;
    const parts = [where(sql`d.vis >= 2`), where(sql`d.vis < 2`)];
    return {
      count: sql`SELECT ${sql.join(
        parts.map((w) => sql`(SELECT count(*) FROM search_docs d WHERE ${w})`),
        sql` + `,
      )} AS n`,
      page: sql`SELECT d.item_id FROM search_docs d WHERE (${parts[0]}) OR (${parts[1]}) ORDER BY ${order(shape, 'd')} ${page}`,
    };
  }
  // Both FTS5 tables (organisation and public items; the others): counts added, pages merged.
  const [xmin, ymin, xmax, ymax] = shape.bbox ?? [0, 0, 0, 0];
  const tables = ['search_fts_open', 'search_fts_closed'].map((t) => sql.table(t));
  const matchesOf = (t: RawBuilder<unknown>) =>
    sql`SELECT rowid AS doc FROM ${t} WHERE ${t} MATCH ${shape.text!.fts}${
      shape.bbox
        ? sql` AND +rowid IN (SELECT r.doc FROM search_extents r CROSS JOIN search_docs b ON b.doc = r.doc WHERE r.xmin <= ${xmax} AND r.xmax >= ${xmin} AND r.ymin <= ${ymax} AND r.ymax >= ${ymin} AND ${bboxSql(dialect, shape.bbox, 'b')})`
        : sql``
    }`;
  const first = (shape.start ?? 1) - 1 + 10;
  return {
    count: sql`SELECT ${sql.join(
      tables.map((t) => sql`(SELECT count(*) FROM (${matchesOf(t)}))`),
      sql` + `,
    )} AS n`,
    page:
      shape.order === 'modified desc'
        ? sql`SELECT d.item_id FROM (${sql.join(
            tables.map((t) => sql`SELECT doc FROM (${matchesOf(t)} ORDER BY rowid DESC LIMIT ${first})`),
            sql` UNION ALL `,
          )} ORDER BY doc DESC ${page}) p JOIN search_docs d ON d.doc = p.doc ORDER BY p.doc DESC`
        : sql`SELECT d.item_id FROM search_docs d WHERE d.doc IN (${sql.join(tables.map(matchesOf), sql` UNION ALL `)}) ORDER BY ${order(shape, 'd')} ${page}`,
  };
}

/** Runs a shape's statements once: the count and the page's ids. */
export async function runEngine(
  db: Kysely<Database>,
  dialect: Dialect,
  shape: EngineShape,
): Promise<{ total: number; ids: string[] }> {
  const s = engineStatements(dialect, shape);
  const run = async (conn: Kysely<Database>) => {
    if (dialect === 'postgres') await sql`SELECT ${SEARCH_SETTINGS}`.execute(conn);
    const total = Number((await s.count.execute(conn)).rows[0]?.n ?? 0);
    const ids = (await s.page.execute(conn)).rows.map((r) => r.item_id);
    return { total, ids };
  };
  return dialect === 'postgres' ? db.transaction().execute(run) : run(db);
}
