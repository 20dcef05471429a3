import type { Kysely, Selectable } from 'kysely';
import { LoadingCache } from '../../kernel/cache/loading-cache.ts';
import { prepared } from '../../kernel/db/prepared.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import type { GroupsTable } from '../tables.ts';
import { GROUPS_CHANGED } from '../topics.ts';

export type GroupWithMembership = Selectable<GroupsTable> & { member_type: string };

const groupsOfUserQuery = prepared<GroupWithMembership>(
  `SELECT g.*, m.member_type FROM group_members m INNER JOIN groups g ON g.id = m.group_id
    WHERE m.username = ? ORDER BY g.title`,
);

/** How long a user's groups are kept when no bus event says they changed (see LoadingCache). */
export const GROUPS_OF_USER_TTL_MS = 5000;

/**
 * The groups a user is a member of, with their membership: community/self answers them on every
 * client's sign-in. Kept in memory; every group or membership change publishes 'content.groups'
 * (publishGroupsChanged), which empties it on every node.
 */
export class GroupsOfUser {
  readonly #cache: LoadingCache<string, readonly GroupWithMembership[]>;

  constructor(ctx: Pick<Kernel, 'db' | 'bus'>, now: () => number = Date.now) {
    this.#cache = new LoadingCache({
      load: async (username) =>
        Object.freeze(await groupsOfUserQuery(ctx.db.kysely as unknown as Kysely<unknown>, [username])),
      ttlMs: GROUPS_OF_USER_TTL_MS,
      now,
    });
    ctx.bus.watch(GROUPS_CHANGED, () => this.#cache.clear());
  }

  get(username: string): Promise<readonly GroupWithMembership[]> {
    return this.#cache.get(username);
  }
}

/** Called after a committed change to groups or memberships. */
export async function publishGroupsChanged(ctx: Pick<Kernel, 'bus'>): Promise<void> {
  await ctx.bus.publish(GROUPS_CHANGED, {});
}
