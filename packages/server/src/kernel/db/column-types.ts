import type { Kysely } from 'kysely';

/**
 * Column types that read the same on SQLite and PostgreSQL. Times are epoch milliseconds
 * in BIGINT; booleans are INTEGER 0/1; JSON is TEXT. One set of migrations serves both.
 */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}
