/** The collaborations' and workspaces' rows: the only place that reads and writes them. */
import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { CollaborationNotFound } from './errors.ts';
import type { CollaborationsTable, CollaborationWorkspacesTable } from './tables.ts';
import './tables.ts';

export type CollaborationRow = CollaborationsTable;
export type WorkspaceRow = CollaborationWorkspacesTable;
type Db = Kysely<Database>;

const notFound = (what: string, id: string) =>
  new MeridianError(
    CollaborationNotFound,
    `There is no ${what} '${id.slice(0, 64)}' here. ${CollaborationNotFound.fix}`,
  );

export async function pageCollaborations(db: Db, start: number, num: number) {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('collaborations')
      .selectAll()
      .orderBy('created')
      .orderBy('id')
      .offset(start - 1)
      .limit(num)
      .execute(),
    db
      .selectFrom('collaborations')
      .select((e) => e.fn.countAll<number | string>().as('n'))
      .executeTakeFirst(),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

export async function getCollaborationRow(db: Db, id: string): Promise<CollaborationRow> {
  const row = await db.selectFrom('collaborations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('collaboration', id);
  return row;
}

export async function insertCollaborationRow(db: Db, row: CollaborationRow): Promise<void> {
  await db.insertInto('collaborations').values(row).execute();
}

export async function updateCollaborationRow(
  db: Db,
  id: string,
  changes: Partial<Omit<CollaborationRow, 'id'>>,
): Promise<void> {
  await db.updateTable('collaborations').set(changes).where('id', '=', id).execute();
}

/**
 * Deletes the collaboration with everything this portal kept of it: workspaces, invitations,
 * participants, and sync state (cursors, the links of received items to their origin, sync
 * runs, schedules). The received items themselves stay, as the delete policy left them.
 */
export async function deleteCollaborationRows(db: Db, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const table of [
      'collaboration_schedules',
      'collaboration_sync_runs',
      'collaboration_cursors',
      'collaboration_received',
    ] as const)
      await trx.deleteFrom(table).where('collaboration_id', '=', id).execute();
    await trx.deleteFrom('collaboration_participants').where('collaboration_id', '=', id).execute();
    await trx.deleteFrom('collaboration_invitations').where('collaboration_id', '=', id).execute();
    await trx.deleteFrom('collaboration_workspaces').where('collaboration_id', '=', id).execute();
    await trx.deleteFrom('collaborations').where('id', '=', id).execute();
  });
}

export function listWorkspaceRows(db: Db, collaborationId: string): Promise<WorkspaceRow[]> {
  return db
    .selectFrom('collaboration_workspaces')
    .selectAll()
    .where('collaboration_id', '=', collaborationId)
    .orderBy('created')
    .orderBy('id')
    .execute();
}

/** A page of the collaboration's workspaces (start 1-based) and how many there are, counted by the database. */
export async function pageWorkspaceRows(db: Db, collaborationId: string, start: number, num: number) {
  const where = db.selectFrom('collaboration_workspaces').where('collaboration_id', '=', collaborationId);
  const [rows, count] = await Promise.all([
    where
      .selectAll()
      .orderBy('created')
      .orderBy('id')
      .offset(start - 1)
      .limit(num)
      .execute(),
    where.select((e) => e.fn.countAll<number | string>().as('n')).executeTakeFirst(),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

export async function getWorkspaceRow(db: Db, collaborationId: string, id: string): Promise<WorkspaceRow> {
  const row = await db
    .selectFrom('collaboration_workspaces')
    .selectAll()
    .where('collaboration_id', '=', collaborationId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('workspace', id);
  return row;
}

/** A workspace of a hosted collaboration (the host sends and receives in it unless `host_access` says otherwise). */
export async function insertWorkspaceRow(db: Db, row: WorkspaceRow): Promise<void> {
  await db
    .insertInto('collaboration_workspaces')
    .values({ ...row, host_access: row.host_access ?? 'sendAndReceive' })
    .execute();
}

export async function updateWorkspaceRow(
  db: Db,
  id: string,
  changes: Partial<Omit<WorkspaceRow, 'id' | 'collaboration_id'>>,
): Promise<void> {
  await db.updateTable('collaboration_workspaces').set(changes).where('id', '=', id).execute();
}

export async function deleteWorkspaceRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('collaboration_workspaces').where('id', '=', id).execute();
}

export { notFound };
