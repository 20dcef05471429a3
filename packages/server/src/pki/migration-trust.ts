import type { Kysely } from 'kysely';

/**
 * The trust store: root and intermediate CA certificates (or a partner's self-signed server
 * certificate) that the portal trusts when it calls other sites. Certificates only, never keys.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pki_trust_store')
    .addColumn('alias', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('cert_pem', 'text', (c) => c.notNull())
    .addColumn('sha256', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('not_after', 'bigint', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pki_trust_store').execute();
}
