/** Cursors (what this portal applied of each partner's feed) and received items: the only place that reads and writes them. */
import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import type { CollaborationReceivedTable } from './tables.ts';

type Db = Kysely<Database>;
export type ReceivedRow = CollaborationReceivedTable;

export async function getCursor(db: Db, workspaceId: string, portalId: string): Promise<number> {
  const r = await db
    .selectFrom('collaboration_cursors')
    .select('seq')
    .where('workspace_id', '=', workspaceId)
    .where('portal_id', '=', portalId)
    .executeTakeFirst();
  return Number(r?.seq ?? 0);
}

/** Moves the cursor forward (never back: a batch applied twice leaves it where it is). */
export async function advanceCursor(
  db: Db,
  collaborationId: string,
  workspaceId: string,
  portalId: string,
  seq: number,
  now: number,
): Promise<void> {
  const current = await db
    .selectFrom('collaboration_cursors')
    .select('seq')
    .where('workspace_id', '=', workspaceId)
    .where('portal_id', '=', portalId)
    .executeTakeFirst();
  if (!current)
    await db
      .insertInto('collaboration_cursors')
      .values({
        collaboration_id: collaborationId,
        workspace_id: workspaceId,
        portal_id: portalId,
        seq,
        modified: now,
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'portal_id']).doNothing())
      .execute();
  await db
    .updateTable('collaboration_cursors')
    .set({ seq, modified: now })
    .where('workspace_id', '=', workspaceId)
    .where('portal_id', '=', portalId)
    .where('seq', '<', seq)
    .execute();
}

export function findReceived(db: Db, collaborationId: string, originPortalId: string, originItemId: string) {
  return db
    .selectFrom('collaboration_received')
    .selectAll()
    .where('collaboration_id', '=', collaborationId)
    .where('origin_portal_id', '=', originPortalId)
    .where('origin_item_id', '=', originItemId)
    .executeTakeFirst();
}

/** The SHA-256 of the data kept of each of these received items (by origin item id; null: none). */
export async function receivedShas(
  db: Db,
  collaborationId: string,
  originPortalId: string,
  originItemIds: readonly string[],
): Promise<Map<string, string | null>> {
  if (!originItemIds.length) return new Map();
  const rows = await db
    .selectFrom('collaboration_received')
    .select(['origin_item_id', 'data_sha256'])
    .where('collaboration_id', '=', collaborationId)
    .where('origin_portal_id', '=', originPortalId)
    .where('origin_item_id', 'in', [...originItemIds])
    .execute();
  return new Map(rows.map((r) => [r.origin_item_id, r.data_sha256]));
}

/** The received-item links of a local item (an item received in several collaborations has several). */
export function receivedByLocal(db: Db, localItemId: string) {
  return db
    .selectFrom('collaboration_received')
    .selectAll()
    .where('local_item_id', '=', localItemId)
    .execute();
}

export function listReceived(db: Db, collaborationId: string, originPortalId?: string) {
  let q = db.selectFrom('collaboration_received').selectAll().where('collaboration_id', '=', collaborationId);
  if (originPortalId) q = q.where('origin_portal_id', '=', originPortalId);
  return q.orderBy('updated').execute();
}

export async function putReceived(db: Db, row: ReceivedRow): Promise<void> {
  await db
    .deleteFrom('collaboration_received')
    .where('collaboration_id', '=', row.collaboration_id)
    .where('origin_portal_id', '=', row.origin_portal_id)
    .where('origin_item_id', '=', row.origin_item_id)
    .execute();
  await db.insertInto('collaboration_received').values(row).execute();
}

export async function dropReceivedByLocal(db: Db, localItemId: string): Promise<void> {
  await db.deleteFrom('collaboration_received').where('local_item_id', '=', localItemId).execute();
}
