import type { Kysely } from 'kysely';

/**
 * The SAML login of the organisation (one: an IdP or a federation; the unique `org` column
 * keeps it to one on every node) and the service provider's keys (their certificates and
 * sealed private keys are in the pki certificate store, under these aliases).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('saml_logins')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('org', 'varchar(16)', (c) => c.notNull().unique())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('name', 'varchar(256)', (c) => c.notNull())
    .addColumn('sp_entity_id', 'varchar(1024)')
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('idp', 'text')
    .addColumn('federation', 'text')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('saml_sp_keys')
    .addColumn('alias', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('saml_sp_keys').execute();
  await db.schema.dropTable('saml_logins').execute();
}
