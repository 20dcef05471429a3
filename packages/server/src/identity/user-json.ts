import { privilegesOf } from './roles.ts';
import type { UserRow } from './users-store.ts';

/** The user object as ArcGIS answers it in community/self and community/users/<u> (full view). */
export function fullUserJson(u: UserRow, orgId: string) {
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
