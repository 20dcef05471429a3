import type { Kysely } from 'kysely';

/** Collaborations, their workspaces, invitations and participants, this portal's signing key, partner-call nonces. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('collaborations')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(400)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('host_portal_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('host_url', 'varchar(1024)', (c) => c.notNull())
    .addColumn('host_contact', 'text', (c) => c.notNull())
    .addColumn('own_contact', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(128)', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('collaboration_workspaces')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('collaboration_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(400)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('portal_group_id', 'varchar(64)')
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('collaboration_workspaces_by_collaboration')
    .on('collaboration_workspaces')
    .column('collaboration_id')
    .execute();
  await db.schema
    .createTable('collaboration_invitations')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('collaboration_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('guest_url', 'varchar(1024)', (c) => c.notNull())
    .addColumn('access', 'text', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('guest_portal_id', 'varchar(128)')
    .addColumn('created_by', 'varchar(128)', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('collaboration_invitations_by_collaboration')
    .on('collaboration_invitations')
    .column('collaboration_id')
    .execute();
  await db.schema
    .createTable('collaboration_participants')
    .addColumn('collaboration_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('portal_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('url', 'varchar(1024)', (c) => c.notNull())
    .addColumn('name', 'varchar(400)', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('cert_fingerprint', 'varchar(128)', (c) => c.notNull())
    .addColumn('trust_alias', 'varchar(128)')
    .addColumn('access', 'text', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('invitation_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('collaboration_participants_pk', ['collaboration_id', 'portal_id'])
    .execute();
  await db.schema
    .createTable('collaboration_keys')
    .addColumn('id', 'varchar(16)', (c) => c.primaryKey())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_sealed', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('collaboration_nonces')
    .addColumn('id', 'varchar(300)', (c) => c.primaryKey())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('collaboration_nonces_expires')
    .on('collaboration_nonces')
    .column('expires')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'collaboration_nonces',
    'collaboration_keys',
    'collaboration_participants',
    'collaboration_invitations',
    'collaboration_workspaces',
    'collaborations',
  ])
    await db.schema.dropTable(t).execute();
}
