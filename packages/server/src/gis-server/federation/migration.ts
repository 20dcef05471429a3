import type { Kysely } from 'kysely';

/** The federation outbox: portal calls retried until the portal answers. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gis_federation_outbox')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('action', 'varchar(20)', (c) => c.notNull())
    .addColumn('service_url', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('lease_owner', 'varchar(64)')
    .addColumn('lease_expires', 'bigint')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('gis_federation_outbox_due')
    .on('gis_federation_outbox')
    .columns(['next_attempt'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('gis_federation_outbox').execute();
}
