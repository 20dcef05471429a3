import type { Role } from './tables.ts';

/**
 * The three built-in roles and their privileges, named as ArcGIS names them so that clients
 * that read `privileges` from community/self (arcgis-rest-js, the ArcGIS API for Python, the
 * web UI) decide what to offer the same way.
 */
const USER_PRIVILEGES = [
  'portal:user:createGroup',
  'portal:user:createItem',
  'portal:user:joinGroup',
  'portal:user:joinNonOrgGroup',
  'portal:user:shareGroupToOrg',
  'portal:user:shareGroupToPublic',
  'portal:user:shareToGroup',
  'portal:user:shareToOrg',
  'portal:user:shareToPublic',
  'portal:user:viewOrgGroups',
  'portal:user:viewOrgItems',
  'portal:user:viewOrgUsers',
] as const;

const PUBLISHER_PRIVILEGES = [
  ...USER_PRIVILEGES,
  'portal:publisher:publishFeatures',
  'portal:publisher:publishTiles',
  'portal:publisher:publishScenes',
  'portal:publisher:publishServerGPServices',
  'portal:publisher:publishServerServices',
  'portal:publisher:createDataPipelines',
] as const;

const ADMIN_PRIVILEGES = [
  'portal:admin:assignToGroups',
  'portal:admin:changeUserRoles',
  'portal:admin:createUpdateCapableGroupOnly',
  'portal:admin:deleteGroups',
  'portal:admin:deleteItems',
  'portal:admin:deleteUsers',
  'portal:admin:disableUsers',
  'portal:admin:inviteUsers',
  'portal:admin:manageCollaborations',
  'portal:admin:manageEnterpriseGroups',
  'portal:admin:manageLicenses',
  'portal:admin:manageRoles',
  'portal:admin:manageSecurity',
  'portal:admin:manageServers',
  'portal:admin:manageUtilityServices',
  'portal:admin:manageWebsite',
  'portal:admin:reassignGroups',
  'portal:admin:reassignItems',
  'portal:admin:reassignUsers',
  'portal:admin:shareToGroup',
  'portal:admin:shareToOrg',
  'portal:admin:shareToPublic',
  'portal:admin:updateGroups',
  'portal:admin:updateItemCategorySchema',
  'portal:admin:updateItems',
  'portal:admin:updateMemberCategorySchema',
  'portal:admin:updateUsers',
  'portal:admin:viewGroups',
  'portal:admin:viewItems',
  'portal:admin:viewUsers',
  ...PUBLISHER_PRIVILEGES,
] as const;

export const ROLES: readonly Role[] = ['org_admin', 'org_publisher', 'org_user'];

const BY_ROLE: Record<Role, readonly string[]> = {
  org_user: Object.freeze([...USER_PRIVILEGES].sort()),
  org_publisher: Object.freeze([...PUBLISHER_PRIVILEGES].sort()),
  org_admin: Object.freeze([...ADMIN_PRIVILEGES].sort()),
};

export function privilegesOf(role: Role): readonly string[] {
  return BY_ROLE[role];
}

/** Older clients send the account_* names that ArcGIS used before org_*. */
const ALIASES: Record<string, Role> = {
  org_admin: 'org_admin',
  org_publisher: 'org_publisher',
  org_user: 'org_user',
  account_admin: 'org_admin',
  account_publisher: 'org_publisher',
  account_user: 'org_user',
};

export function parseRole(value: string): Role | undefined {
  return ALIASES[value.trim().toLowerCase()];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
