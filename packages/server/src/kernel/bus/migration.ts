import type { Kysely } from 'kysely';
import { isPostgres } from '../db/column-types.ts';

/**
 * Change events for processes sharing one SQLite file (the portal and a `meridian` command run
 * beside it): PostgreSQL uses LISTEN/NOTIFY instead, so there the table stays empty.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bus_events')
    .addColumn('id', isPostgres(db) ? 'bigserial' : 'integer', (c) =>
      isPostgres(db) ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('node', 'varchar(64)', (c) => c.notNull())
    .addColumn('topic', 'varchar(100)', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('bus_events').execute();
}
