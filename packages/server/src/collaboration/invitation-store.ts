/** The host's invitations: the only place that reads and writes collaboration_invitations. */
import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { notFound } from './store.ts';
import type { CollaborationInvitationsTable } from './tables.ts';

export type InvitationRow = CollaborationInvitationsTable;
type Db = Kysely<Database>;

export async function insertInvitationRow(db: Db, row: InvitationRow): Promise<void> {
  await db.insertInto('collaboration_invitations').values(row).execute();
}

export function findInvitationRow(db: Db, id: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('collaboration_invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getInvitationRow(db: Db, collaborationId: string, id: string): Promise<InvitationRow> {
  const row = await findInvitationRow(db, id);
  if (!row || row.collaboration_id !== collaborationId) throw notFound('invitation', id);
  return row;
}

export async function pageInvitations(db: Db, collaborationId: string, start: number, num: number) {
  const where = db.selectFrom('collaboration_invitations').where('collaboration_id', '=', collaborationId);
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

export async function updateInvitationRow(
  db: Db,
  id: string,
  changes: Partial<Omit<InvitationRow, 'id' | 'collaboration_id'>>,
): Promise<void> {
  await db.updateTable('collaboration_invitations').set(changes).where('id', '=', id).execute();
}

/**
 * Marks a pending invitation accepted by `guestPortalId`, only if it is still pending and its
 * secret is `secretHash`: true when this call took it (two acceptances never both succeed).
 */
export async function claimInvitation(
  db: Db,
  id: string,
  secretHash: string,
  guestPortalId: string,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('collaboration_invitations')
    .set({ state: 'accepted', guest_portal_id: guestPortalId, modified: now })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('secret_hash', '=', secretHash)
    .where('expires', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
