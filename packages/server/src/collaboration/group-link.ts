/**
 * A workspace's link to a group of this portal and its settings (updatePortalGroupLink,
 * removePortalGroupLink), on the host and on a guest alike: each side links its own group. A
 * linked group is watched in content's item change log, so that sync reads what changed.
 */
import { checkGroup } from './collaborations.ts';
import type { CollaborationContext } from './context.ts';
import { checkText, invalid } from './input.ts';
import {
  getCollaborationRow,
  getWorkspaceRow,
  listWorkspaceRows,
  updateWorkspaceRow,
  type WorkspaceRow,
} from './store.ts';

export const watcherOf = (workspaceId: string) => `collaboration:${workspaceId}`;

export const SHARE_AS = ['copy', 'reference'] as const;
export const UNSHARED_COPIES = ['keep', 'delete'] as const;

export interface GroupLinkInput {
  portalGroupId?: string | undefined;
  enableRealtimeSync?: boolean | undefined;
  copyFeatureServiceData?: boolean | undefined;
  copyByRefIfCopyFail?: boolean | undefined;
  shareItemsAs?: (typeof SHARE_AS)[number] | undefined;
  unsharedCopies?: (typeof UNSHARED_COPIES)[number] | undefined;
}

/** The link settings of a workspace row, with their defaults. */
export function linkOf(w: WorkspaceRow) {
  return {
    portalGroupId: w.portal_group_id,
    enableRealtimeSync: Number(w.realtime_sync ?? 0) === 1,
    copyFeatureServiceData: Number(w.copy_fs_data ?? 0) === 1,
    copyByRefIfCopyFail: Number(w.copy_by_ref_if_fail ?? 1) === 1,
    shareItemsAs: (w.share_as ?? 'copy') as (typeof SHARE_AS)[number],
    unsharedCopies: (w.unshared_copies ?? 'keep') as (typeof UNSHARED_COPIES)[number],
  };
}

/** Watches the workspace's group (if any) in the item change log. */
export async function watchLinkedGroup(ctx: CollaborationContext, w: WorkspaceRow): Promise<void> {
  if (w.portal_group_id) await ctx.content.changes.watch(w.portal_group_id, watcherOf(w.id));
}

const flag = (v: boolean | undefined) => (v === undefined ? undefined : v ? 1 : 0);

export async function updatePortalGroupLink(
  ctx: CollaborationContext,
  collaborationId: string,
  workspaceId: string,
  input: GroupLinkInput,
): Promise<WorkspaceRow> {
  const db = ctx.kernel.db.kysely;
  await getCollaborationRow(db, collaborationId);
  const before = await getWorkspaceRow(db, collaborationId, workspaceId);
  const groupId =
    input.portalGroupId !== undefined
      ? await checkGroup(ctx, 'portalGroupId', checkText('portalGroupId', input.portalGroupId, 64, true))
      : before.portal_group_id;
  if (!groupId)
    throw invalid("Missing required parameter 'portalGroupId': the workspace has no linked group yet.");
  const changes: Partial<WorkspaceRow> = { portal_group_id: groupId, modified: ctx.kernel.clock.now() };
  const set = <K extends keyof WorkspaceRow>(k: K, v: WorkspaceRow[K] | undefined) => {
    if (v !== undefined) changes[k] = v;
  };
  set('realtime_sync', flag(input.enableRealtimeSync));
  set('copy_fs_data', flag(input.copyFeatureServiceData));
  set('copy_by_ref_if_fail', flag(input.copyByRefIfCopyFail));
  set('share_as', input.shareItemsAs);
  set('unshared_copies', input.unsharedCopies);
  await updateWorkspaceRow(db, workspaceId, changes);
  const after = await getWorkspaceRow(db, collaborationId, workspaceId);
  await watchLinkedGroup(ctx, after);
  if (before.portal_group_id && before.portal_group_id !== groupId)
    await ctx.content.changes.unwatch(before.portal_group_id, watcherOf(workspaceId));
  return after;
}

export async function removePortalGroupLink(
  ctx: CollaborationContext,
  collaborationId: string,
  workspaceId: string,
): Promise<WorkspaceRow> {
  const db = ctx.kernel.db.kysely;
  const before = await getWorkspaceRow(db, collaborationId, workspaceId);
  await updateWorkspaceRow(db, workspaceId, {
    portal_group_id: null,
    realtime_sync: 0,
    modified: ctx.kernel.clock.now(),
  });
  if (before.portal_group_id)
    await ctx.content.changes.unwatch(before.portal_group_id, watcherOf(workspaceId));
  return getWorkspaceRow(db, collaborationId, workspaceId);
}

/** At start: every linked group is watched (workspaces linked before the change log existed). */
export async function ensureWatches(ctx: CollaborationContext): Promise<void> {
  const db = ctx.kernel.db.kysely;
  const collaborations = await db.selectFrom('collaborations').select('id').execute();
  for (const c of collaborations)
    for (const w of await listWorkspaceRows(db, c.id)) await watchLinkedGroup(ctx, w);
}
