import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { NotPermitted, UserNotFound } from './errors.ts';
import type { Viewer } from './viewer.ts';

export function sameUser(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.toLowerCase() === b.toLowerCase();
}

/** A user's canonical username, or undefined when there is no such user. */
export async function findUsername(db: Kysely<Database>, username: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('username')
    .where('username_lower', '=', username.toLowerCase())
    .executeTakeFirst();
  return row?.username;
}

/**
 * The owner named in a /content/users/<username>/… URL, for an operation on that user's
 * content: the user themself or an administrator. Another user gets 403 without learning
 * whether the account exists.
 */
export async function resolveOwner(db: Kysely<Database>, viewer: Viewer, username: string): Promise<string> {
  if (!viewer.isAdmin && !sameUser(viewer.username, username))
    throw new MeridianError(
      NotPermitted,
      `You do not have permissions to access the content of user '${username}'.`,
    );
  const found = await findUsername(db, username);
  if (!found) throw new MeridianError(UserNotFound, `User '${username}' does not exist.`);
  return found;
}
