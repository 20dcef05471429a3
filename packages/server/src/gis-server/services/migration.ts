import type { Kysely } from 'kysely';

/** The services catalog: the feature services of a GIS server (their data is in the feature store). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gis_services')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('folder', 'varchar(120)', (c) => c.notNull())
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('name_key', 'varchar(250)', (c) => c.notNull().unique())
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('title', 'varchar(250)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner', 'varchar(128)', (c) => c.notNull())
    .addColumn('portal_item_id', 'varchar(64)')
    .addColumn('access', 'varchar(16)', (c) => c.notNull())
    .addColumn('max_record_count', 'integer', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('gis_services').execute();
}
