import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { GroupNotFound, NotPermitted } from '../errors.ts';
import type { GroupsTable } from '../tables.ts';
import type { Viewer } from '../viewer.ts';

export type GroupRow = Selectable<GroupsTable>;
export type MemberType = 'owner' | 'admin' | 'member' | 'none';

export async function membershipOf(
  db: Kysely<Database>,
  groupId: string,
  username: string | null,
): Promise<MemberType> {
  if (!username) return 'none';
  const row = await db
    .selectFrom('group_members')
    .select('member_type')
    .where('group_id', '=', groupId)
    .where('username', '=', username)
    .executeTakeFirst();
  return (row?.member_type as MemberType | undefined) ?? 'none';
}

export function canSeeGroup(viewer: Viewer, group: GroupRow, membership: MemberType): boolean {
  if (viewer.isAdmin || group.access === 'public' || membership !== 'none') return true;
  return group.access === 'org' && viewer.username !== null;
}

/** A group the viewer may see (private groups: members and administrators only). */
export async function loadVisibleGroup(
  db: Kysely<Database>,
  viewer: Viewer,
  id: string,
): Promise<{ group: GroupRow; membership: MemberType }> {
  const group = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  const membership = group ? await membershipOf(db, id, viewer.username) : 'none';
  if (!group || !canSeeGroup(viewer, group, membership))
    throw new MeridianError(GroupNotFound, 'Group does not exist or is inaccessible.');
  return { group, membership };
}

/** A group the viewer manages: its owner, a group administrator, or an organisation administrator. */
export async function loadManagedGroup(
  db: Kysely<Database>,
  viewer: Viewer,
  id: string,
): Promise<{ group: GroupRow; membership: MemberType }> {
  const found = await loadVisibleGroup(db, viewer, id);
  if (!viewer.isAdmin && found.membership !== 'owner' && found.membership !== 'admin')
    throw new MeridianError(NotPermitted, `Only the owner or an administrator of group '${id}' may do this.`);
  return found;
}
