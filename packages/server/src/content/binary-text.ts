import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../kernel/db/column-types.ts';

/**
 * A text column compared and sorted by code point on both databases (PostgreSQL would
 * otherwise use the database's locale; SQLite always compares bytes).
 */
export function binaryText(db: Kysely<unknown>, length: number) {
  const type = sql.raw(`varchar(${Math.trunc(length)})`);
  return isPostgres(db) ? sql`${type} collate "C"` : type;
}
