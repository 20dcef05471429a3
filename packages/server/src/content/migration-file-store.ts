import type { Kysely } from 'kysely';

/**
 * The identity of the portal's file store (the directory item files live in): one row (id
 * 'current'), its store_id also written in the directory's .meridian-store file, so that a node whose directory is not
 * the shared one is refused at start instead of serving items whose files are elsewhere.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('content_file_store')
    .addColumn('id', 'varchar(16)', (c) => c.primaryKey())
    .addColumn('store_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('content_file_store').execute();
}
