import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { InvalidItemField, NotPermitted } from '../errors.ts';
import type { ContentDeps } from '../items.ts';
import type { Viewer } from '../viewer.ts';
import { loadManagedGroup, loadVisibleGroup } from './group-access.ts';

const MAX_USERS = 100;

function userList(name: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length > MAX_USERS)
    throw new MeridianError(
      InvalidItemField,
      `'${name}' lists ${list.length} users; send at most ${MAX_USERS} a request.`,
    );
  return list;
}

/** Each name as the identity module stores it (absent: no such user). */
async function canonical(deps: ContentDeps, names: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const n of new Set(names)) {
    const found = await deps.users.canonicalUsername(n);
    if (found) out.set(n, found);
  }
  return out;
}

/** community/groups/<id>/addUsers: unknown users come back in notAdded. */
export async function addGroupUsers(
  deps: ContentDeps,
  viewer: Viewer,
  id: string,
  args: { users?: string; admins?: string },
): Promise<{ notAdded: string[] }> {
  await loadManagedGroup(deps.db, viewer, id);
  const wanted = [
    ...userList('users', args.users).map((u) => ({ u, type: 'member' as const })),
    ...userList('admins', args.admins).map((u) => ({ u, type: 'admin' as const })),
  ];
  const notAdded: string[] = [];
  const now = Date.now();
  // Users are looked up through identity before the transaction opens (on SQLite a query
  // outside the transaction would wait for it).
  const names = await canonical(
    deps,
    wanted.map((w) => w.u),
  );
  await deps.db.transaction().execute(async (trx) => {
    for (const { u, type } of wanted) {
      const username = names.get(u);
      if (!username) {
        notAdded.push(u);
        continue;
      }
      const existing = await trx
        .selectFrom('group_members')
        .select('member_type')
        .where('group_id', '=', id)
        .where('username', '=', username)
        .executeTakeFirst();
      if (!existing) {
        await trx
          .insertInto('group_members')
          .values({ group_id: id, username, member_type: type, joined: now })
          .execute();
      } else if (existing.member_type === 'member' && type === 'admin') {
        await trx
          .updateTable('group_members')
          .set({ member_type: 'admin' })
          .where('group_id', '=', id)
          .where('username', '=', username)
          .execute();
      }
    }
  });
  await deps.groupsChanged();
  return { notAdded };
}

/** community/groups/<id>/removeUsers: the owner and non-members come back in notRemoved. */
export async function removeGroupUsers(
  deps: ContentDeps,
  viewer: Viewer,
  id: string,
  users: string | undefined,
): Promise<{ notRemoved: string[] }> {
  await loadManagedGroup(deps.db, viewer, id);
  const notRemoved: string[] = [];
  const list = userList('users', users);
  const names = await canonical(deps, list);
  await deps.db.transaction().execute(async (trx) => {
    for (const u of list) {
      const username = names.get(u);
      const member = username
        ? await trx
            .selectFrom('group_members')
            .select('member_type')
            .where('group_id', '=', id)
            .where('username', '=', username)
            .executeTakeFirst()
        : undefined;
      if (!username || !member || member.member_type === 'owner') {
        notRemoved.push(u);
        continue;
      }
      await trx
        .deleteFrom('group_members')
        .where('group_id', '=', id)
        .where('username', '=', username)
        .execute();
    }
  });
  await deps.groupsChanged();
  return { notRemoved };
}

/** community/groups/<id>/users: for members and organisation administrators. */
export async function groupUsers(
  deps: ContentDeps,
  viewer: Viewer,
  id: string,
): Promise<{ owner: string; admins: string[]; users: string[] }> {
  const { group, membership } = await loadVisibleGroup(deps.db, viewer, id);
  if (!viewer.isAdmin && membership === 'none')
    throw new MeridianError(NotPermitted, `Only members of group '${id}' may list its users.`);
  const rows = await deps.db
    .selectFrom('group_members')
    .select(['username', 'member_type'])
    .where('group_id', '=', id)
    .orderBy('username')
    .execute();
  return {
    owner: group.owner,
    admins: rows.filter((r) => r.member_type === 'owner' || r.member_type === 'admin').map((r) => r.username),
    users: rows.filter((r) => r.member_type === 'member').map((r) => r.username),
  };
}

/**
 * Adds a user to groups as the portal itself (no caller: the groups a SAML login gives new
 * accounts): a member of each group that exists; groups that no longer exist are answered in
 * missing. Already a member: left as is.
 */
export async function addUserToGroups(
  deps: ContentDeps,
  user: string,
  groupIds: readonly string[],
): Promise<{ added: string[]; missing: string[] }> {
  const username = await deps.users.canonicalUsername(user);
  if (!username) return { added: [], missing: [...groupIds] };
  const added: string[] = [];
  const missing: string[] = [];
  const now = Date.now();
  await deps.db.transaction().execute(async (trx) => {
    for (const id of new Set(groupIds)) {
      const group = await trx.selectFrom('groups').select('id').where('id', '=', id).executeTakeFirst();
      if (!group) {
        missing.push(id);
        continue;
      }
      const existing = await trx
        .selectFrom('group_members')
        .select('member_type')
        .where('group_id', '=', id)
        .where('username', '=', username)
        .executeTakeFirst();
      if (existing) continue;
      await trx
        .insertInto('group_members')
        .values({ group_id: id, username, member_type: 'member', joined: now })
        .execute();
      added.push(id);
    }
  });
  if (added.length) await deps.groupsChanged();
  return { added, missing };
}
