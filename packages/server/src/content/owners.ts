import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { NotPermitted, UserNotFound } from './errors.ts';
import type { ContentDeps } from './items.ts';
import type { Viewer } from './viewer.ts';

export function sameUser(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.toLowerCase() === b.toLowerCase();
}

/**
 * The owner named in a /content/users/<username>/… URL, for an operation on that user's
 * content: the user themself or an administrator. Another user gets 403 without learning
 * whether the account exists.
 */
export async function resolveOwner(
  users: ContentDeps['users'],
  viewer: Viewer,
  username: string,
): Promise<string> {
  if (!viewer.isAdmin && !sameUser(viewer.username, username))
    throw new MeridianError(
      NotPermitted,
      `You do not have permissions to access the content of user '${username}'.`,
    );
  const found = await users.canonicalUsername(username);
  if (!found) throw new MeridianError(UserNotFound, `User '${username}' does not exist.`);
  return found;
}
