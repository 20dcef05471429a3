import { defineModule } from '../kernel/module.ts';
import type { PortalApi } from '../portal/module.ts';
import { usersCommands } from './commands/users-commands.ts';
import type { IdentityContext } from './context.ts';
import { ensureInitialAdmin, type InitialAdminResult } from './initial-admin.ts';
import * as usersMigration from './migration.ts';
import * as throttleMigration from './migration-throttle.ts';
import type { GroupJson, UserContentPort } from './ports.ts';
import { privilegesOf } from './roles.ts';
import { registerIdentityRoutes } from './routes.ts';
import { identitySettings } from './settings.ts';
import { signInWithPassword } from './sign-in.ts';
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
import { findUserByUsername, type UserRow } from './users-store.ts';

export type {
  GroupJson,
  InitialAdminResult,
  NewUser,
  ProfileChanges,
  Role,
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
  };
}

export type IdentityApi = ReturnType<typeof createIdentityApi>;

export const identityModule = defineModule<
  IdentityApi,
  { portal: Pick<PortalApi, 'orgId'>; userContent: UserContentPort }
>({
  name: 'identity',
  tables: ['users', 'sign_in_throttle', 'sign_in_known_addresses'],
  migrations: { '0003_identity': usersMigration, '0011_sign_in_throttle': throttleMigration },
  settings: identitySettings,
  commands: usersCommands,
  async create(kernel, deps) {
    const users = new UserStateCache(kernel);
    const ctx: IdentityContext = { ...kernel, portal: deps.portal, userContent: deps.userContent, users };
    const initialAdmin = await ensureInitialAdmin(ctx);
    return {
      api: createIdentityApi(ctx, initialAdmin),
      routes: (app) => registerIdentityRoutes(app, ctx),
    };
  },
});
