import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { isMeridianError } from '../kernel/errors/meridian-error.ts';
import { type GroupRow, membershipOf } from './groups/group-access.ts';
import { loadOwnedItem, loadVisibleItem, ownsOrAdministers } from './item-access.ts';
import { recordItemChanges } from './item-changes.ts';
import type { ItemRow } from './item-json.ts';
import type { ContentDeps } from './items.ts';
import { syncTermAccess } from './search/index-terms.ts';
import { refreshSharedAccess } from './share-access.ts';
import type { Viewer } from './viewer.ts';

export interface ShareArgs {
  everyone?: boolean;
  org?: boolean;
  groups?: string;
  confirmItemControl?: boolean;
}

/** "a, b" → ["a","b"]; arcgis-rest-js sends groups=" " to mean none. */
export function idList(value: string | undefined): string[] {
  return [
    ...new Set(
      (value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** The public/org level after a share request (undefined flags keep the current level). */
function newLevel(current: ItemRow['access'], everyone?: boolean, org?: boolean): 'public' | 'org' | 'none' {
  if (everyone === true) return 'public';
  let level: 'public' | 'org' | 'none' = current === 'public' ? 'public' : current === 'org' ? 'org' : 'none';
  if (everyone === false && level === 'public') level = 'none';
  if (org === true && level === 'none') level = 'org';
  if (org === false && level === 'org') level = 'none';
  return level;
}

/** May the viewer share into this group? Members may, unless the group is view-only (then its managers). */
async function canShareTo(
  db: Kysely<Database>,
  viewer: Viewer,
  group: GroupRow | undefined,
): Promise<boolean> {
  if (!group) return false;
  if (viewer.isAdmin) return true;
  const m = await membershipOf(db, group.id, viewer.username);
  if (m === 'none') return false;
  return group.is_view_only !== 1 || m === 'owner' || m === 'admin';
}

/** content/items/<id>/share and content/users/<u>/items/<id>/share: owner or administrator. */
export async function shareItem(
  deps: ContentDeps,
  viewer: Viewer,
  itemId: string,
  args: ShareArgs,
): Promise<{ notSharedWith: string[]; itemId: string }> {
  const item = await loadOwnedItem(deps.db, viewer, itemId);
  const wanted = idList(args.groups);
  const groups = wanted.length
    ? await deps.db.selectFrom('groups').selectAll().where('id', 'in', wanted).execute()
    : [];
  const notSharedWith: string[] = [];
  const allowed: string[] = [];
  for (const id of wanted) {
    if (
      await canShareTo(
        deps.db,
        viewer,
        groups.find((g) => g.id === id),
      )
    )
      allowed.push(id);
    else notSharedWith.push(id);
  }
  const now = Date.now();
  await deps.db.transaction().execute(async (trx) => {
    for (const groupId of allowed) {
      await trx
        .insertInto('item_shares')
        .values({ item_id: itemId, group_id: groupId, shared: now })
        .onConflict((oc) => oc.columns(['item_id', 'group_id']).doNothing())
        .execute();
    }
    await recordItemChanges(trx, [itemId], 'shared', allowed);
    const level = newLevel(item.access, args.everyone, args.org);
    if (level !== 'none') {
      await trx.updateTable('items').set({ access: level }).where('id', '=', itemId).execute();
      await syncTermAccess(trx, [itemId]);
    } else {
      await trx.updateTable('items').set({ access: 'private' }).where('id', '=', itemId).execute();
      await refreshSharedAccess(trx, [itemId]);
    }
  });
  if (allowed.length) deps.itemsChanged?.();
  return { notSharedWith, itemId };
}

/**
 * content/items/<id>/unshare: the item's owner or an administrator from any group, a group's
 * owner or administrators from their group.
 */
export async function unshareItem(
  deps: ContentDeps,
  viewer: Viewer,
  itemId: string,
  groupsParam: string | undefined,
): Promise<{ notUnsharedFrom: string[]; itemId: string }> {
  const item = await loadVisibleItem(deps.db, viewer, itemId);
  const wanted = idList(groupsParam);
  const notUnsharedFrom: string[] = [];
  const allowed: string[] = [];
  const owner = ownsOrAdministers(viewer, item);
  for (const id of wanted) {
    const exists = await deps.db.selectFrom('groups').select('id').where('id', '=', id).executeTakeFirst();
    const m = await membershipOf(deps.db, id, viewer.username);
    if (exists && (owner || m === 'owner' || m === 'admin')) allowed.push(id);
    else notUnsharedFrom.push(id);
  }
  await deps.db.transaction().execute(async (trx) => {
    if (allowed.length)
      await trx
        .deleteFrom('item_shares')
        .where('item_id', '=', itemId)
        .where('group_id', 'in', allowed)
        .execute();
    await recordItemChanges(trx, [itemId], 'unshared', allowed);
    await refreshSharedAccess(trx, [itemId]);
  });
  if (allowed.length) deps.itemsChanged?.();
  return { notUnsharedFrom, itemId };
}

/** content/users/<u>/shareItems: share several items; each answers on its own. */
export async function shareItems(
  deps: ContentDeps,
  viewer: Viewer,
  itemsParam: string | undefined,
  args: ShareArgs,
): Promise<{ results: Record<string, unknown>[] }> {
  const results: Record<string, unknown>[] = [];
  for (const itemId of idList(itemsParam)) {
    try {
      const r = await shareItem(deps, viewer, itemId, args);
      results.push({ itemId, success: true, notSharedWith: r.notSharedWith });
    } catch (err) {
      if (!isMeridianError(err)) throw err;
      results.push({
        itemId,
        success: false,
        notSharedWith: idList(args.groups),
        error: { code: err.arcgisCode, message: err.message, details: [] },
      });
    }
  }
  return { results };
}

/** content/users/<u>/unshareItems */
export async function unshareItems(
  deps: ContentDeps,
  viewer: Viewer,
  itemsParam: string | undefined,
  groupsParam: string | undefined,
): Promise<{ results: Record<string, unknown>[] }> {
  const results: Record<string, unknown>[] = [];
  for (const itemId of idList(itemsParam)) {
    try {
      const r = await unshareItem(deps, viewer, itemId, groupsParam);
      results.push({ itemId, success: true, notUnsharedFrom: r.notUnsharedFrom });
    } catch (err) {
      if (!isMeridianError(err)) throw err;
      results.push({
        itemId,
        success: false,
        notUnsharedFrom: idList(groupsParam),
        error: { code: err.arcgisCode, message: err.message, details: [] },
      });
    }
  }
  return { results };
}
