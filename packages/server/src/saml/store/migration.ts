import type { Kysely } from 'kysely';

/**
 * What SAML validation remembers, shared by every node: the AuthnRequests this portal sent
 * (a response must answer one, once) and the assertion IDs already used (each until its
 * assertion expires).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('saml_requests')
    .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('login', 'varchar(64)', (c) => c.notNull())
    .addColumn('oauth_transaction', 'varchar(64)', (c) => c.notNull())
    .addColumn('idp_entity_id', 'varchar(1024)')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .addColumn('answered', 'bigint')
    .execute();
  await db.schema.createIndex('saml_requests_expires').on('saml_requests').column('expires').execute();
  await db.schema
    .createTable('saml_replay')
    .addColumn('idp_entity_id', 'varchar(1024)', (c) => c.notNull())
    .addColumn('assertion_id', 'varchar(256)', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('saml_replay_pk', ['idp_entity_id', 'assertion_id'])
    .execute();
  await db.schema.createIndex('saml_replay_expires').on('saml_replay').column('expires').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('saml_replay').execute();
  await db.schema.dropTable('saml_requests').execute();
}
