import type { Kysely } from 'kysely';

/**
 * The OAuth 2.0 flow's state, shared by every node (a sign-in begun on one node finishes on
 * any other): authorization requests in progress (the sign-in page's oauth_state), single-use
 * authorization codes, grants (what a code or refresh token was issued under, so that a
 * replayed code revokes everything issued from it) and refresh tokens. Codes and refresh tokens
 * are stored only as SHA-256 hashes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oauth_authorizations')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('redirect_uri', 'varchar(2048)', (c) => c.notNull())
    .addColumn('response_type', 'varchar(8)', (c) => c.notNull())
    .addColumn('state', 'text')
    .addColumn('code_challenge', 'varchar(128)')
    .addColumn('expiration_minutes', 'integer')
    .addColumn('oob_code_sealed', 'text')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('oauth_grants')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .addColumn('revoked', 'bigint')
    .execute();
  await db.schema
    .createTable('oauth_codes')
    .addColumn('code_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('grant_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('redirect_uri', 'varchar(2048)', (c) => c.notNull())
    .addColumn('code_challenge', 'varchar(128)')
    .addColumn('expiration_minutes', 'integer')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .addColumn('used', 'bigint')
    .execute();
  await db.schema
    .createTable('oauth_refresh_tokens')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('grant_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('user_epoch', 'integer', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .addColumn('revoked', 'bigint')
    .execute();
  await db.schema
    .createIndex('oauth_refresh_tokens_grant')
    .on('oauth_refresh_tokens')
    .columns(['grant_id'])
    .execute();
  await db.schema
    .createIndex('oauth_refresh_tokens_user')
    .on('oauth_refresh_tokens')
    .columns(['user_id'])
    .execute();
  await db.schema.createIndex('oauth_codes_expires').on('oauth_codes').columns(['expires']).execute();
  await db.schema.createIndex('oauth_grants_revoked').on('oauth_grants').columns(['revoked']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['oauth_refresh_tokens', 'oauth_codes', 'oauth_grants', 'oauth_authorizations'])
    await db.schema.dropTable(t).execute();
}
