import type { Kysely } from 'kysely';

/**
 * TLS session ticket keys shared by every node, so a session resumed on another node behind
 * the load balancer skips the full handshake. Sealed with the secrets key; rotated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tls_ticket_keys')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('key_sealed', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tls_ticket_keys').execute();
}
