import type { Kysely } from 'kysely';

/** Federated GIS servers (with their sealed shared secret) and the service deletions still to send. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('federated_servers')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(300)', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('url_key', 'varchar(1024)', (c) => c.notNull().unique())
    .addColumn('admin_url', 'text', (c) => c.notNull())
    .addColumn('remote_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('server_role', 'varchar(64)', (c) => c.notNull())
    .addColumn('server_function', 'varchar(300)', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('federated_by', 'varchar(128)', (c) => c.notNull())
    .addColumn('trust_alias', 'varchar(128)')
    .addColumn('cert_fingerprint', 'varchar(128)')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('federated_service_deletions')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('server_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('item_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('service_url', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'varchar(128)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('federated_service_deletions_due')
    .on('federated_service_deletions')
    .column('next_attempt')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('federated_service_deletions').execute();
  await db.schema.dropTable('federated_servers').execute();
}
