import type { Kysely } from 'kysely';

/**
 * SAML (enterprise) accounts are found by the identity provider's entity ID and the NameID it
 * asserts: one account per pair. Built-in accounts have neither (NULLs are distinct in a
 * unique index on both dialects, so they never collide).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('idp_entity_id', 'varchar(1024)').execute();
  await db.schema
    .createIndex('users_saml_identity')
    .on('users')
    .columns(['idp_entity_id', 'idp_username'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_saml_identity').execute();
  await db.schema.alterTable('users').dropColumn('idp_entity_id').execute();
}
