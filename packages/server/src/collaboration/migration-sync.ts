import type { Kysely } from 'kysely';

/**
 * Sync: each workspace's group link settings and each collaboration's delete policy (new
 * columns), what this portal applied of each partner's change feed (cursors), the items it
 * received (their origin, so a re-sync updates the same item), sync runs with their history,
 * and sync schedules.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ws = 'collaboration_workspaces';
  for (const [name, type, def] of [
    ['realtime_sync', 'integer', 0],
    ['copy_fs_data', 'integer', 0],
    ['copy_by_ref_if_fail', 'integer', 1],
    ['share_as', 'varchar(16)', 'copy'],
    ['unshared_copies', 'varchar(16)', 'keep'],
  ] as const)
    await db.schema
      .alterTable(ws)
      .addColumn(name, type, (c) => c.notNull().defaultTo(def))
      .execute();
  for (const name of ['delete_contributed', 'delete_received'])
    await db.schema
      .alterTable('collaborations')
      .addColumn(name, 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  await db.schema
    .createTable('collaboration_cursors')
    .addColumn('collaboration_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('workspace_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('portal_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('collaboration_cursors_pk', ['workspace_id', 'portal_id'])
    .execute();
  await db.schema
    .createTable('collaboration_received')
    .addColumn('collaboration_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('origin_portal_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('origin_item_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('workspace_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('local_item_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('origin_modified', 'bigint', (c) => c.notNull())
    .addColumn('applied_modified', 'bigint', (c) => c.notNull())
    .addColumn('data_sha256', 'varchar(64)')
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('updated', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('collaboration_received_pk', [
      'collaboration_id',
      'origin_portal_id',
      'origin_item_id',
    ])
    .execute();
  await db.schema
    .createIndex('collaboration_received_local')
    .on('collaboration_received')
    .column('local_item_id')
    .execute();
  await db.schema
    .createTable('collaboration_sync_runs')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('collaboration_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('workspace_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('exec_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('start_time', 'bigint')
    .addColumn('end_time', 'bigint')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('history', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('collaboration_sync_runs_by_workspace')
    .on('collaboration_sync_runs')
    .columns(['workspace_id', 'created'])
    .execute();
  await db.schema
    .createTable('collaboration_schedules')
    .addColumn('workspace_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('collaboration_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('start_time', 'bigint', (c) => c.notNull())
    .addColumn('interval_hours', 'integer', (c) => c.notNull())
    .addColumn('repeat_count', 'integer', (c) => c.notNull())
    .addColumn('runs', 'integer', (c) => c.notNull())
    .addColumn('next_run', 'bigint', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'collaboration_schedules',
    'collaboration_sync_runs',
    'collaboration_received',
    'collaboration_cursors',
  ])
    await db.schema.dropTable(t).execute();
  for (const c of ['realtime_sync', 'copy_fs_data', 'copy_by_ref_if_fail', 'share_as', 'unshared_copies'])
    await db.schema.alterTable('collaboration_workspaces').dropColumn(c).execute();
  for (const c of ['delete_contributed', 'delete_received'])
    await db.schema.alterTable('collaborations').dropColumn(c).execute();
}
