import type { Kysely } from 'kysely';

/** Federation sources and the identity providers indexed from their metadata (one generation in use). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('federations')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('metadata_url', 'text', (c) => c.notNull())
    .addColumn('mdq_url', 'text')
    .addColumn('signing_certs_pem', 'text', (c) => c.notNull())
    .addColumn('discovery_url', 'text')
    .addColumn('generation', 'integer')
    .addColumn('valid_until', 'bigint')
    .addColumn('cache_duration_ms', 'bigint')
    .addColumn('entity_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idp_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('metadata_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_success', 'bigint')
    .addColumn('last_attempt', 'bigint')
    .addColumn('last_error_code', 'varchar(100)')
    .addColumn('last_error_message', 'text')
    .addColumn('next_refresh', 'bigint', (c) => c.notNull())
    .addColumn('refresh_lease_owner', 'varchar(64)')
    .addColumn('refresh_lease_expires', 'bigint')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('federation_idps')
    .addColumn('federation_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('entity_id', 'varchar(1024)', (c) => c.notNull())
    .addColumn('display_name', 'varchar(500)', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_idps_pk', ['federation_id', 'generation', 'entity_id'])
    .execute();
  await db.schema
    .createIndex('federation_idps_name')
    .on('federation_idps')
    .columns(['federation_id', 'generation', 'display_name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('federation_idps').execute();
  await db.schema.dropTable('federations').execute();
}
