/**
 * What happens to items when a partnership ends (a participant leaves or is removed, the
 * collaboration is deleted) — updateItemDeletePolicy: deleteContributedItems (partners delete
 * what this portal sent them; this portal tells them so when it ends the partnership) and
 * deleteReceivedItems (this portal deletes what it received). Items kept are marked no longer
 * synced. Ordinary unshares follow the link's setting instead (apply-changes.ts).
 */
import type { CollaborationContext } from './context.ts';
import { UNSYNCED_MARK } from './item-marks.ts';
import { getCollaborationRow, updateCollaborationRow } from './store.ts';
import { listReceived, putReceived } from './sync-store.ts';

export interface DeletePolicyInput {
  deleteContributedItems?: boolean | undefined;
  deleteReceivedItems?: boolean | undefined;
}

export function policyOf(c: { delete_contributed?: number; delete_received?: number }) {
  return {
    deleteContributedItems: Number(c.delete_contributed ?? 0) === 1,
    deleteReceivedItems: Number(c.delete_received ?? 0) === 1,
  };
}

export async function updateItemDeletePolicy(
  ctx: CollaborationContext,
  collaborationId: string,
  input: DeletePolicyInput,
) {
  const db = ctx.kernel.db.kysely;
  await getCollaborationRow(db, collaborationId);
  const changes: { delete_contributed?: number; delete_received?: number; modified: number } = {
    modified: ctx.kernel.clock.now(),
  };
  if (input.deleteContributedItems !== undefined)
    changes.delete_contributed = input.deleteContributedItems ? 1 : 0;
  if (input.deleteReceivedItems !== undefined) changes.delete_received = input.deleteReceivedItems ? 1 : 0;
  await updateCollaborationRow(db, collaborationId, changes);
  return policyOf(await getCollaborationRow(db, collaborationId));
}

/**
 * The partnership with `partnerPortalId` ended: the items received from it are deleted when
 * this portal's policy says so or the partner asked for what it contributed to go; else kept,
 * marked no longer synced. Answers how many were deleted and kept.
 */
export async function applyDeletePolicy(
  ctx: CollaborationContext,
  collaborationId: string,
  partnerPortalId: string,
  partnerDeletesContributed: boolean,
): Promise<{ deleted: number; kept: number }> {
  const db = ctx.kernel.db.kysely;
  const own = policyOf(await getCollaborationRow(db, collaborationId));
  const remove = own.deleteReceivedItems || partnerDeletesContributed;
  let deleted = 0;
  let kept = 0;
  for (const row of await listReceived(db, collaborationId, partnerPortalId)) {
    if (remove) {
      await ctx.content.items.deleteAsPortal(row.local_item_id, db);
      deleted++;
      continue;
    }
    await db.transaction().execute(async (trx) => {
      const item = await ctx.content.synced.read(trx, row.local_item_id);
      if (item && !item.typeKeywords.includes(UNSYNCED_MARK))
        await ctx.content.synced.setTypeKeywords(trx, row.local_item_id, [
          ...item.typeKeywords,
          UNSYNCED_MARK,
        ]);
      await putReceived(trx, { ...row, state: 'unsynced', updated: ctx.kernel.clock.now() });
    });
    kept++;
  }
  return { deleted, kept };
}
