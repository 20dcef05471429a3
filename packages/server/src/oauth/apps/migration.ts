import type { Kysely } from 'kysely';

/**
 * Registered OAuth apps: one row per client_id. An app registered for an item has item_id
 * (unique: one registration per item) and owner; the built-in arcgisonline client has neither
 * and no secret. redirect_uris and http_referrers are JSON arrays of strings; the client
 * secret is stored only as its SHA-256 hash.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oauth_apps')
    .addColumn('client_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('item_id', 'varchar(64)', (c) => c.unique())
    .addColumn('owner', 'varchar(128)')
    .addColumn('app_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('http_referrers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('secret_hash', 'varchar(64)')
    .addColumn('registered', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oauth_apps').execute();
}
