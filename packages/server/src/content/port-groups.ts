import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';

/** A group as another module sees it (collaboration workspaces link one), with no caller. */
export interface GroupSummary {
  id: string;
  title: string;
  owner: string;
}

/** What other modules may read of groups. */
export interface GroupPort {
  /** The group of this id, or undefined. */
  find(id: string): Promise<GroupSummary | undefined>;
}

export function groupPort(db: Kysely<Database>): GroupPort {
  return {
    find: (id) =>
      db.selectFrom('groups').select(['id', 'title', 'owner']).where('id', '=', id).executeTakeFirst(),
  };
}
