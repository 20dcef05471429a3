import type { Kysely } from 'kysely';

/**
 * The portal's own certificate authority and its web server certificates. Private keys are
 * sealed with the secrets key (secrets/box.ts) before they reach the database.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pki_local_ca')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('cert_pem', 'text', (c) => c.notNull())
    .addColumn('key_sealed', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('pki_certificates')
    .addColumn('alias', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('cert_pem', 'text', (c) => c.notNull())
    .addColumn('chain_pem', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('key_sealed', 'text')
    .addColumn('issued_by_local_ca', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('names', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('not_after', 'bigint', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pki_certificates').execute();
  await db.schema.dropTable('pki_local_ca').execute();
}
