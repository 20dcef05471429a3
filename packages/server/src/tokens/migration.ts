import type { Kysely } from 'kysely';

/**
 * Token signing keys (HMAC secrets sealed with the secrets key). A key signs new tokens
 * while it is the newest; older keys keep verifying until `retire_after`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('token_signing_keys')
    .addColumn('kid', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('retire_after', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('token_signing_keys').execute();
}
