import type { Kysely } from 'kysely';

/** SAML single logout: the portal sign-ins made through SAML (by grant and web session) and the LogoutRequests sent. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('saml_sessions')
    .addColumn('grant_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('session_id', 'varchar(64)')
    .addColumn('login', 'varchar(64)', (c) => c.notNull())
    .addColumn('idp_entity_id', 'varchar(1024)', (c) => c.notNull())
    .addColumn('name_id', 'varchar(1024)', (c) => c.notNull())
    .addColumn('name_id_format', 'varchar(256)')
    .addColumn('session_index', 'varchar(256)')
    .addColumn('user_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saml_sessions_session').on('saml_sessions').column('session_id').execute();
  await db.schema
    .createIndex('saml_sessions_name_id')
    .on('saml_sessions')
    .columns(['idp_entity_id', 'name_id'])
    .execute();
  await db.schema.createIndex('saml_sessions_expires').on('saml_sessions').column('expires').execute();
  await db.schema
    .createTable('saml_logout_requests')
    .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('login', 'varchar(64)', (c) => c.notNull())
    .addColumn('idp_entity_id', 'varchar(1024)', (c) => c.notNull())
    .addColumn('return_to', 'varchar(2048)')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .addColumn('answered', 'bigint')
    .execute();
  await db.schema
    .createIndex('saml_logout_requests_expires')
    .on('saml_logout_requests')
    .column('expires')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('saml_logout_requests').execute();
  await db.schema.dropTable('saml_sessions').execute();
}
