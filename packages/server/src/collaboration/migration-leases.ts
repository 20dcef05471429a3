import type { Kysely } from 'kysely';

/**
 * Leases: work that exactly one node of a portal does at a time (a workspace's real-time watch
 * on a guest), held by a node until it expires unrenewed or the node gives it up.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('collaboration_leases')
    .addColumn('name', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('holder', 'varchar(64)', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('collaboration_leases').execute();
}
