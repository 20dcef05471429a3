import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';

/** A group as the Sharing API answers it (community/groups), with the user's membership. */
export type GroupJson = Record<string, unknown>;

/**
 * What identity asks of the module that keeps users' content (content answers it; identity does
 * not depend on content, whose items and groups it must not query).
 */
export interface UserContentPort {
  /** What a user owns: deleting a user who owns something is refused. `db` may be a transaction. */
  ownedBy(db: Kysely<Database>, username: string): Promise<{ items: number; groups: number }>;
  /** Removes what is left of a user who owns nothing (group memberships, empty folders). */
  releaseUser(db: Kysely<Database>, username: string): Promise<void>;
  /** Called once the transaction that released the user has committed. */
  userReleased(username: string): Promise<void>;
  /** The groups a user belongs to, in the community/groups shape (for community/self). */
  groupsOfUser(username: string): Promise<GroupJson[]>;
}
