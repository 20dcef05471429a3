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
    async groupsOfUser(username) {
      const rows = await deps.db
        .selectFrom('group_members as m')
        .innerJoin('groups as g', 'g.id', 'm.group_id')
        .selectAll('g')
        .select('m.member_type')
        .where('m.username', '=', username)
        .orderBy('g.title')
        .execute();
      const orgId = await deps.orgId();
      return rows.map(({ member_type, ...group }) =>
        groupJson(group, orgId, { username }, member_type as MemberType),
      );
    },
  };
}
