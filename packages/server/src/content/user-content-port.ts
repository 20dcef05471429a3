import type { Kysely, Selectable } from 'kysely';
import type { UserContentPort } from '../identity/module.ts';
import { prepared } from '../kernel/db/prepared.ts';
import type { Database } from '../kernel/db/schema.ts';
import type { MemberType } from './groups/group-access.ts';
import { groupJson } from './groups/group-json.ts';
import type { ContentDeps } from './items.ts';
import type { GroupsTable } from './tables.ts';

async function count(db: Kysely<Database>, table: 'items' | 'groups', owner: string): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner', '=', owner)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

type GroupWithMembership = Selectable<GroupsTable> & { member_type: string };

/** On the path of community/self (every sign-in of every client): a prepared statement. */
const groupsOfUserQuery = prepared<GroupWithMembership>(
  `SELECT g.*, m.member_type FROM group_members m INNER JOIN groups g ON g.id = m.group_id
    WHERE m.username = ? ORDER BY g.title`,
);

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
    async groupsOfUser(username) {
      const rows = await groupsOfUserQuery(deps.db as unknown as Kysely<unknown>, [username]);
      const orgId = await deps.orgId();
      return rows.map(({ member_type, ...group }) =>
        groupJson(group, orgId, { username }, member_type as MemberType),
      );
    },
  };
}
