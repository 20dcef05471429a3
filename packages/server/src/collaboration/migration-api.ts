import { type Kysely, sql } from 'kysely';

/**
 * The host's own access mode per workspace (createCollaboration's accessMode for the first
 * workspace; null on a guest, which does not know it), and, on the host's record of a guest,
 * the groups the guest linked to the workspaces as its invitation response named them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('collaboration_workspaces').addColumn('host_access', 'varchar(16)').execute();
  // Hosted workspaces made before: the host sent and received in them.
  await sql`UPDATE collaboration_workspaces SET host_access = 'sendAndReceive' WHERE collaboration_id IN (SELECT id FROM collaborations WHERE role = 'host')`.execute(
    db,
  );
  await db.schema
    .alterTable('collaboration_participants')
    .addColumn('linked_groups', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('collaboration_participants').dropColumn('linked_groups').execute();
  await db.schema.alterTable('collaboration_workspaces').dropColumn('host_access').execute();
}
