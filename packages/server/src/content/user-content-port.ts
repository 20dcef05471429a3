import type { Kysely } from 'kysely';
import type { UserContentPort } from '../identity/module.ts';
import type { Database } from '../kernel/db/schema.ts';
import type { MemberType } from './groups/group-access.ts';
import { groupJson } from './groups/group-json.ts';
import type { ContentDeps } from './items.ts';

async function count(db: Kysely<Database>, table: 'items' | 'groups', owner: string): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner', '=', owner)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** What the identity module asks about a user's content (see identity/ports.ts). */
export function userContentPort(deps: ContentDeps): UserContentPort {
  return {
    async ownedBy(db, username) {
      return { items: await count(db, 'items', username), groups: await count(db, 'groups', username) };
    },
    async releaseUser(db, username) {
      await db.deleteFrom('group_members').where('username', '=', username).execute();
      await db.deleteFrom('folders').where('owner', '=', username).execute();
    },
    // Its memberships went: a new user of that name must not see them in community/self.
    userReleased: () => deps.groupsChanged(),
    async groupsOfUser(username) {
      const rows = await deps.groupsOfUser.get(username);
      const orgId = await deps.orgId();
      return rows.map(({ member_type, ...group }) =>
        groupJson(group, orgId, { username }, member_type as MemberType),
      );
    },
  };
}
