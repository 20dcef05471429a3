import type { Kysely } from 'kysely';

/** Services published for collaboration copies whose item has not settled on them yet. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hosted_copy_services')
    .addColumn('url', 'varchar(2048)', (c) => c.primaryKey())
    .addColumn('server_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('hosted_copy_services').execute();
}
