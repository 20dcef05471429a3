import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { isPostgres } from './column-types.ts';

/**
 * A fixed SQL text with `?` placeholders, compiled once per dialect. For the few queries on the
 * hot path of every request (the caller's user row, their groups), where building Kysely's
 * query tree each time costs more than running the query. The text must be portable SQL.
 */
export function prepared<Row>(text: string) {
  let pgText: string | undefined;
  return async (db: Kysely<unknown> | Transaction<unknown>, params: readonly unknown[]): Promise<Row[]> => {
    let sqlText = text;
    if (isPostgres(db as Kysely<unknown>)) {
      let n = 0;
      pgText ??= text.replace(/\?/g, () => `$${++n}`);
      sqlText = pgText;
    }
    const r = await db.executeQuery<Row>(CompiledQuery.raw(sqlText, params as unknown[]));
    return r.rows;
  };
}
