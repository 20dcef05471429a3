import { type Kysely, sql } from 'kysely';

/**
 * The HTTPS settings get a table of their own (they were one row of portal_settings, a table of
 * the portal module); on a portal's database the stored row moves over (a GIS server's database
 * has no portal_settings).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tls_settings')
    .addColumn('id', 'varchar(16)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
  const tables = await db.introspection.getTables();
  if (!tables.some((t) => t.name === 'portal_settings')) return;
  await sql`INSERT INTO tls_settings (id, value, modified)
    SELECT 'current', value, modified FROM portal_settings WHERE key = 'tls'`.execute(db);
  await sql`DELETE FROM portal_settings WHERE key = 'tls'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = await db.introspection.getTables();
  if (tables.some((t) => t.name === 'portal_settings'))
    await sql`INSERT INTO portal_settings (key, value, modified)
      SELECT 'tls', value, modified FROM tls_settings WHERE id = 'current'`.execute(db);
  await db.schema.dropTable('tls_settings').execute();
}
