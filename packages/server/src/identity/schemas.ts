/**
 * The answers of the identity routes (community/self, community/users, portals/self/users,
 * portaladmin/security/users) as TypeBox schemas; the web UI imports their Static types
 * (type-only). Pure TypeBox: no Node import.
 */
import { type Static, Type } from '@sinclair/typebox';
import { EpochMs, Nullable, PageEnvelope, StatusSuccess, StringEnum, Success } from '../http/schemas.ts';

const Str = Type.String();
const Strings = Type.Array(Type.String());

export const ROLE_NAMES = ['org_admin', 'org_publisher', 'org_user'] as const;
export const RoleName = StringEnum(ROLE_NAMES);

/** What every member of the organisation sees of a user. */
const publicFields = {
  username: Str,
  udn: Type.Null(),
  id: Str,
  fullName: Str,
  firstName: Str,
  lastName: Str,
  description: Str,
  access: Str,
  orgId: Str,
  role: RoleName,
  tags: Strings,
  culture: Type.Null(),
  region: Type.Null(),
  units: Str,
  thumbnail: Type.Null(),
  created: EpochMs,
  modified: EpochMs,
  provider: Type.String({ description: 'arcgis (built-in account) or enterprise (SAML).' }),
};

/** The reduced view of a user, for other members: no email, sign-in times, privileges or state. */
export const PublicUserJson = Type.Object(publicFields, { title: 'PublicUser' });
export type PublicUserJson = Static<typeof PublicUserJson>;

/** The full view (the user, administrators); administrators also see the sign-in lock. */
export const FullUserJson = Type.Object(
  {
    ...publicFields,
    preferredView: Type.Null(),
    email: Str,
    userType: Str,
    idpUsername: Nullable(Type.String()),
    favGroupId: Type.Null(),
    lastLogin: EpochMs,
    mfaEnabled: Type.Boolean(),
    storageUsage: Type.Number(),
    storageQuota: Type.Number(),
    privileges: Strings,
    level: Str,
    userLicenseTypeId: Str,
    disabled: Type.Boolean(),
    locked: Type.Optional(
      Type.Boolean({ description: 'Locked after too many failed sign-ins (administrators see it).' }),
    ),
    lockedUntil: Type.Optional(
      Type.Number({ description: 'When the lock ends (epoch ms); 0 when not locked.' }),
    ),
  },
  { title: 'User' },
);
export type FullUserJson = Static<typeof FullUserJson>;

/**
 * A group the user belongs to, in the community/groups shape: the content module's (whose
 * schema it is); identity declares the fields it relies on and passes the rest through.
 */
export const MemberGroupJson = Type.Object({ id: Str, title: Str }, { additionalProperties: true });

/** community/self: the signed-in user and the groups they belong to. */
export const SelfJson = Type.Object({ ...FullUserJson.properties, groups: Type.Array(MemberGroupJson) });
export type SelfJson = Static<typeof SelfJson>;

/** community/users/<u>: the full view (with groups) for the user and administrators, else the reduced one. */
export const UserViewJson = Type.Union([SelfJson, PublicUserJson]);

/** community/users: a page of users, full for administrators. */
export const UserSearchJson = Type.Object({
  query: Str,
  ...PageEnvelope,
  results: Type.Array(Type.Union([FullUserJson, PublicUserJson])),
});
export type UserSearchJson = Static<typeof UserSearchJson>;

/** portals/self/users[/search] (`users` repeats results on portals/self/users, as older releases answered). */
export const OrgUsersJson = Type.Object({
  ...PageEnvelope,
  results: Type.Array(Type.Union([FullUserJson, PublicUserJson])),
  users: Type.Optional(Type.Array(Type.Union([FullUserJson, PublicUserJson]))),
});
export type OrgUsersJson = Static<typeof OrgUsersJson>;

/** portaladmin/security/users[/search]. */
export const AdminUsersJson = Type.Object({
  users: Type.Array(FullUserJson),
  ...PageEnvelope,
  hasMore: Type.Boolean(),
});
export type AdminUsersJson = Static<typeof AdminUsersJson>;

export const UsernameAnswer = Success({ username: Str });
export const AdminSuccess = StatusSuccess({});
