import type { Kysely } from 'kysely';

/** The GIS server's own facts (its id), one JSON value per key. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gis_server_settings')
    .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('gis_server_settings').execute();
}
