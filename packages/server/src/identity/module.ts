import { defineModule } from '../kernel/module.ts';
import type { PortalApi } from '../portal/module.ts';
import { usersCommands } from './commands/users-commands.ts';
import type { IdentityContext } from './context.ts';
import { ensureInitialAdmin, type InitialAdminResult } from './initial-admin.ts';
import * as usersMigration from './migration.ts';
import * as samlAccountsMigration from './migration-saml-accounts.ts';
import * as throttleMigration from './migration-throttle.ts';
import type { GroupJson, UserContentPort } from './ports.ts';
import { privilegesOf } from './roles.ts';
import { registerIdentityRoutes } from './routes.ts';
import {
  addSamlAccounts,
  type NewSamlAccount,
  type SamlAccountProblem,
  type SamlSignIn,
  samlAccount,
  samlRoleOf,
} from './saml-accounts.ts';
import { identitySettings } from './settings.ts';
import { signInWithPassword } from './sign-in.ts';
import type { SignInPolicy, SignInPolicySource } from './sign-in-policy.ts';
import { accountLocks } from './sign-in-throttle.ts';
import type { Role } from './tables.ts';
import { searchUsers, type UserSearch } from './user-search.ts';
import { type UserState, UserStateCache } from './user-state-cache.ts';
import {
  createUser,
  type NewUser,
  type ProfileChanges,
  resetPassword,
  revokeTokens,
  setDisabled,
  setRole,
  unlockUser,
  updateProfile,
} from './users-service.ts';
import { countEnabledSamlAdmins, findUserByUsername, type UserRow } from './users-store.ts';

export type {
  GroupJson,
  InitialAdminResult,
  NewSamlAccount,
  NewUser,
  ProfileChanges,
  Role,
  SamlAccountProblem,
  SamlSignIn,
  SignInPolicy,
  SignInPolicySource,
  UserContentPort,
  UserRow,
  UserState,
};

/** Users, roles, passwords, the built-in sign-in with its lockout, and the initial administrator. */
export function createIdentityApi(ctx: IdentityContext, initialAdmin: InitialAdminResult) {
  return {
    /** What the first start did about the administrator account. */
    initialAdmin,
    /** A user by username (any case), or undefined. */
    findUser: (username: string): Promise<UserRow | undefined> => findUserByUsername(ctx.db.kysely, username),
    /** The username as stored (its case), or undefined when there is no such user. */
    async canonicalUsername(username: string): Promise<string | undefined> {
      return (await findUserByUsername(ctx.db.kysely, username))?.username;
    },
    /** Checks a built-in account's password (throttled); throws the sign-in errors. */
    signIn: (username: string, password: string, clientIp: string) =>
      signInWithPassword(ctx, username, password, clientIp),
    /** Role, token epoch and disabled flag of a user, cached and kept current across nodes. */
    userState: (id: string): Promise<UserState | undefined> => ctx.users.get(id),
    privilegesOf: (role: Role) => privilegesOf(role),
    /** Raises the user's token epoch: every token and session they hold stops working. */
    revokeTokens: (userId: string) => revokeTokens(ctx, userId),
    createUser: (user: NewUser) => createUser(ctx, user),
    updateProfile: (username: string, changes: ProfileChanges) => updateProfile(ctx, username, changes),
    setRole: (username: string, role: string) => setRole(ctx, username, role),
    setDisabled: (username: string, disabled: boolean) => setDisabled(ctx, username, disabled),
    resetPassword: (username: string, password?: string) => resetPassword(ctx, username, password),
    unlock: (username: string) => unlockUser(ctx, username),
    search: (s: UserSearch) => searchUsers(ctx.db, s),
    /** Until when each of these accounts is locked (some address or all); absent: not locked. */
    locks: (usernames: string[]) => accountLocks(ctx.db.kysely, usernames),
    /**
     * The provisioning step of a SAML sign-in (the ACS calls it after validating the response):
     *
     *   samlAccount({ idpEntityId, nameId, givenName?, surname?, email?,
     *                 signUpMode: 'Automatic' | 'Invitation', role?, updateProfile,
     *                 claimUnbound? }) → UserRow
     *
     * Finds the account of (idpEntityId, nameId) — never by username. Absent: Automatic
     * creates it (provider 'enterprise', no password) with the role `role` (the login's
     * roleId, see samlRoleOf; default org_user) and a username derived from the NameID or
     * email (saml-accounts.ts usernameBase, made unique with _2, _3, …); Invitation throws
     * saml.account_not_invited (403, "ask an administrator"). Disabled: throws
     * identity.account_disabled. Present and updateProfile: first name, last name (and full
     * name) and email follow the assertion (absent or invalid values are kept). Records
     * lastLogin and publishes 'identity.user'. claimUnbound (single-IdP logins only): an
     * account pre-registered with this NameID but no IdP is bound to this IdP. Groups are
     * the caller's to apply (content API). Throws identity.field_invalid for a roleId that
     * has no Meridian role.
     */
    samlAccount: (signIn: SamlSignIn): Promise<UserRow> => samlAccount(ctx, signIn),
    /**
     * The Meridian role of a SAML login's roleId: org_admin, org_publisher, org_user (and
     * account_* aliases); empty → org_user; anything else throws identity.field_invalid (so a
     * login registry can check roleId when a login is registered).
     */
    samlRoleOf: (roleId: string | undefined): Role => samlRoleOf(roleId),
    /**
     * Pre-registers SAML accounts, all or nothing (one transaction); bad entries are listed in
     * the error's data.problems by index. `label` names an entry in messages ('line 3').
     */
    addSamlAccounts: (accounts: readonly NewSamlAccount[], label?: (index: number) => string) =>
      addSamlAccounts(ctx, accounts, { label }),
    /** How many enabled administrators sign in through SAML (provider enterprise). */
    samlAdministrators: (): Promise<number> => countEnabledSamlAdmins(ctx.db.kysely),
  };
}

export type IdentityApi = ReturnType<typeof createIdentityApi>;

export const identityModule = defineModule<
  IdentityApi,
  {
    portal: Pick<PortalApi, 'orgId'>;
    userContent: UserContentPort;
    /** The organisation's sign-in policy; without it built-in accounts may do everything. */
    signInPolicy?: SignInPolicySource;
  }
>({
  name: 'identity',
  tables: ['users', 'sign_in_throttle', 'sign_in_known_addresses'],
  migrations: {
    '0003_identity': usersMigration,
    '0011_sign_in_throttle': throttleMigration,
    '0023_identity_saml_accounts': samlAccountsMigration,
  },
  settings: identitySettings,
  commands: usersCommands,
  async create(kernel, deps) {
    const users = new UserStateCache(kernel);
    const ctx: IdentityContext = {
      ...kernel,
      portal: deps.portal,
      userContent: deps.userContent,
      users,
      ...(deps.signInPolicy ? { signInPolicy: deps.signInPolicy } : {}),
    };
    const initialAdmin = await ensureInitialAdmin(ctx);
    return {
      api: createIdentityApi(ctx, initialAdmin),
      routes: (app) => registerIdentityRoutes(app, ctx),
    };
  },
});
