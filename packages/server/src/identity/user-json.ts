import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { privilegesOf } from './roles.ts';
import { accountLocks } from './sign-in-throttle.ts';
import type { UserRow } from './users-store.ts';

/**
 * The user object as ArcGIS answers it in community/self and community/users/<u> (full view),
 * plus, when given, Meridian's sign-in lock state (`locked`, `lockedUntil` in epoch ms, 0 when
 * unlocked), which administrators see.
 */
export function fullUserJson(u: Omit<UserRow, 'password_hash'>, orgId: string, lockedUntil?: number) {
  return {
    username: u.username,
    udn: null,
    id: u.id,
    fullName: u.full_name,
    firstName: u.first_name,
    lastName: u.last_name,
    preferredView: null,
    description: u.description,
    email: u.email,
    userType: 'arcgisonly',
    idpUsername: u.idp_username,
    favGroupId: null,
    lastLogin: Number(u.last_login),
    mfaEnabled: false,
    access: 'org',
    storageUsage: 0,
    storageQuota: 2199023255552,
    orgId,
    role: u.role,
    privileges: [...privilegesOf(u.role)],
    level: '2',
    userLicenseTypeId: 'creatorUT',
    disabled: Number(u.disabled) !== 0,
    ...(lockedUntil === undefined ? {} : { locked: lockedUntil > 0, lockedUntil }),
    tags: [] as string[],
    culture: null,
    region: null,
    units: 'metric',
    thumbnail: null,
    created: Number(u.created),
    modified: Number(u.modified),
    provider: u.provider,
  };
}

/** What other members of the organisation see: no email, sign-in times, privileges or state. */
export function publicUserJson(u: UserRow, orgId: string) {
  return {
    username: u.username,
    udn: null,
    id: u.id,
    fullName: u.full_name,
    firstName: u.first_name,
    lastName: u.last_name,
    description: u.description,
    access: 'org',
    orgId,
    role: u.role,
    tags: [] as string[],
    culture: null,
    region: null,
    units: 'metric',
    thumbnail: null,
    created: Number(u.created),
    modified: Number(u.modified),
    provider: u.provider,
  };
}

/** fullUserJson for several users, with their lock state read in one query. */
export async function fullUsersJson(db: Kysely<Database>, users: UserRow[], orgId: string) {
  const locks = await accountLocks(
    db,
    users.map((u) => u.username),
  );
  return users.map((u) => fullUserJson(u, orgId, locks.get(u.username_lower) ?? 0));
}
