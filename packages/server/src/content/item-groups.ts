import { canSeeGroup, type MemberType } from './groups/group-access.ts';
import { groupJson } from './groups/group-json.ts';
import { loadVisibleItem } from './item-access.ts';
import type { ContentDeps } from './items.ts';
import type { Viewer } from './viewer.ts';

/**
 * content/items/<id>/groups: the groups an item is shared with, as ArcGIS lists them: those
 * the viewer owns or administers (admin), those they belong to (member), and the others the
 * viewer may see (other). Groups the viewer may not see are not named.
 */
export async function itemGroups(
  deps: ContentDeps,
  viewer: Viewer,
  itemId: string,
): Promise<{ admin: unknown[]; member: unknown[]; other: unknown[] }> {
  await loadVisibleItem(deps.db, viewer, itemId);
  const rows = await deps.db
    .selectFrom('item_shares as s')
    .innerJoin('groups as g', 'g.id', 's.group_id')
    .leftJoin('group_members as m', (j) =>
      j.onRef('m.group_id', '=', 'g.id').on('m.username', '=', viewer.username ?? ''),
    )
    .selectAll('g')
    .select('m.member_type')
    .where('s.item_id', '=', itemId)
    .orderBy('g.title')
    .execute();
  const orgId = await deps.orgId();
  const out = { admin: [] as unknown[], member: [] as unknown[], other: [] as unknown[] };
  for (const { member_type, ...group } of rows) {
    const membership = (member_type ?? 'none') as MemberType;
    if (!canSeeGroup(viewer, group, membership)) continue;
    const json = groupJson(group, orgId, viewer, membership);
    if (membership === 'owner' || membership === 'admin') out.admin.push(json);
    else if (membership === 'member') out.member.push(json);
    else out.other.push(json);
  }
  return out;
}
