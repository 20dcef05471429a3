import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Condition, TextQuery } from './condition.ts';
import { fts5Query } from './fts5-query.ts';
import { PARTITIONS, partitionSql } from './partition.ts';
import { FTS_TABLE } from './sqlite-index.ts';
import { tsQuery } from './tsquery.ts';

export type Dialect = 'sqlite' | 'postgres';

/** A text query as a condition on search_docs `d`: its doc is among the engine's matches. */
export function textSql(dialect: Dialect, q: TextQuery): RawBuilder<SqlBool> {
  if (dialect === 'postgres') {
    // One test per part of the index, so that each part's GIN index can answer it.
    const tsq = tsQuery(q);
    const parts = PARTITIONS.map((p) => sql<SqlBool>`(${partitionSql(p)} AND d.tsv @@ ${tsq}::tsquery)`);
    return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
  }
  const match = fts5Query(q);
  const tables = Object.values(FTS_TABLE).map(
    (t) => sql`SELECT rowid FROM ${sql.table(t)} WHERE ${sql.table(t)} MATCH ${match}`,
  );
  return sql<SqlBool>`d.doc IN (${sql.join(tables, sql` UNION ALL `)})`;
}

const OPS = { '=': '=', '>': '>', '>=': '>=', '<': '<', '<=': '<=' } as const;

/** A condition as SQL on search_docs `d` (values bound as parameters). */
export function conditionSql(dialect: Dialect, c: Condition): RawBuilder<SqlBool> {
  switch (c.kind) {
    case 'true':
      return sql<SqlBool>`1 = 1`;
    case 'false':
      return sql<SqlBool>`1 = 0`;
    case 'text':
      return textSql(dialect, c.query);
    case 'id':
      return sql<SqlBool>`d.item_id = ${c.value}`;
    case 'range':
      return sql<SqlBool>`${sql.ref(`d.${c.column}`)} ${sql.raw(OPS[c.op])} ${c.value}`;
    case 'not':
      return sql<SqlBool>`NOT (${conditionSql(dialect, c.item)})`;
    case 'and':
    case 'or':
      return sql<SqlBool>`(${sql.join(
        c.items.map((x) => conditionSql(dialect, x)),
        sql.raw(c.kind === 'and' ? ' AND ' : ' OR '),
      )})`;
  }
}

/** Conditions joined with AND (true when there is none). */
export function allOf(parts: readonly RawBuilder<SqlBool>[]): RawBuilder<SqlBool> {
  return parts.length ? sql<SqlBool>`${sql.join(parts, sql` AND `)}` : sql<SqlBool>`1 = 1`;
}
