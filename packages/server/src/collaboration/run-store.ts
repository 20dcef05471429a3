/** Sync runs and schedules: the only place that reads and writes them. */
import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import type { CollaborationSchedulesTable, CollaborationSyncRunsTable } from './tables.ts';

type Db = Kysely<Database>;
export type RunRow = CollaborationSyncRunsTable;
export type ScheduleRow = CollaborationSchedulesTable;

export async function insertRun(db: Db, row: RunRow): Promise<void> {
  await db.insertInto('collaboration_sync_runs').values(row).execute();
}

export async function updateRun(db: Db, id: string, changes: Partial<Omit<RunRow, 'id'>>): Promise<void> {
  await db.updateTable('collaboration_sync_runs').set(changes).where('id', '=', id).execute();
}

export async function deleteRun(db: Db, id: string): Promise<void> {
  await db.deleteFrom('collaboration_sync_runs').where('id', '=', id).execute();
}

export function getRun(db: Db, id: string) {
  return db.selectFrom('collaboration_sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The workspace's runs, newest first. */
export function listRuns(db: Db, workspaceId: string, limit: number) {
  return db
    .selectFrom('collaboration_sync_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Whether a run of the workspace is submitted or running (a second is not started then). */
export async function activeRun(db: Db, workspaceId: string) {
  return db
    .selectFrom('collaboration_sync_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', ['submitted', 'started', 'in_progress'])
    .executeTakeFirst();
}

export function getSchedule(db: Db, workspaceId: string) {
  return db
    .selectFrom('collaboration_schedules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

export async function putSchedule(db: Db, row: ScheduleRow): Promise<void> {
  await db.deleteFrom('collaboration_schedules').where('workspace_id', '=', row.workspace_id).execute();
  await db.insertInto('collaboration_schedules').values(row).execute();
}

export async function updateSchedule(db: Db, workspaceId: string, changes: Partial<ScheduleRow>) {
  await db
    .updateTable('collaboration_schedules')
    .set(changes)
    .where('workspace_id', '=', workspaceId)
    .execute();
}

export async function deleteSchedule(db: Db, workspaceId: string): Promise<void> {
  await db.deleteFrom('collaboration_schedules').where('workspace_id', '=', workspaceId).execute();
}

export function dueSchedules(db: Db, now: number) {
  return db
    .selectFrom('collaboration_schedules')
    .selectAll()
    .where('state', '=', 'active')
    .where('next_run', '<=', now)
    .execute();
}

/** Compare and set: of several nodes, the one that moves next_run from `seen` runs it. */
export async function claimSchedule(
  db: Db,
  workspaceId: string,
  seen: number,
  changes: Partial<ScheduleRow>,
) {
  const r = await db
    .updateTable('collaboration_schedules')
    .set(changes)
    .where('workspace_id', '=', workspaceId)
    .where('next_run', '=', seen)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
