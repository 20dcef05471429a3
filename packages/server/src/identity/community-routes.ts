import type { FastifyInstance } from 'fastify';
import type { Caller } from '../http/caller.ts';
import { clampedNumParam, START_PARAM } from '../http/paging-params.ts';
import { requireCaller } from '../http/require-caller.ts';
import { route } from '../http/route.ts';
import { Forbidden } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { IdentityContext } from './context.ts';
import { UserNotFound } from './errors.ts';
import { checkPasswordPolicy } from './password-policy.ts';
import { fullUserJson, fullUsersJson, publicUserJson } from './user-json.ts';
import { searchUsers } from './user-search.ts';
import { changeOwnPassword, deleteUser, setRole, updateProfile } from './users-service.ts';
import { findUserByUsername, usernameKey } from './users-store.ts';

const searchParams = {
  q: { type: 'string', maxLength: 2048 },
  start: START_PARAM,
  num: clampedNumParam(100),
  sortField: { type: 'string', maxLength: 64 },
  sortOrder: { type: 'string', enum: ['asc', 'desc', 'ASC', 'DESC'] },
} as const;

interface SearchArgs {
  q?: string;
  start?: number;
  num?: number;
  sortField?: string;
  sortOrder?: string;
}

interface UpdateArgs {
  fullname?: string;
  fullName?: string;
  firstname?: string;
  firstName?: string;
  lastname?: string;
  lastName?: string;
  email?: string;
  description?: string;
  password?: string;
  oldPassword?: string;
}

const updateParams = {
  fullname: { type: 'string' },
  fullName: { type: 'string' },
  firstname: { type: 'string' },
  firstName: { type: 'string' },
  lastname: { type: 'string' },
  lastName: { type: 'string' },
  email: { type: 'string' },
  description: { type: 'string' },
  password: { type: 'string', maxLength: 1024 },
  oldPassword: { type: 'string', maxLength: 1024 },
} as const;

function isAdmin(caller: Caller | undefined): boolean {
  return caller?.role === 'org_admin';
}

function isSelf(caller: Caller | undefined, username: string): boolean {
  return !!caller && usernameKey(caller.username) === usernameKey(username);
}

function notFound(): MeridianError {
  return new MeridianError(UserNotFound, 'User not found.');
}

/** Sharing API: community/self, community/users, portals/self/users(/search). */
export async function registerCommunityUserRoutes(app: FastifyInstance, ctx: IdentityContext): Promise<void> {
  const orgId = () => ctx.portal.orgId();

  route(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/community/self',
    summary: 'The signed-in user, with role, privileges and groups.',
    tags: ['users'],
    auth: 'user',
    handler: async (req) => {
      const caller = requireCaller(req.caller);
      const user = await findUserByUsername(ctx.db.kysely, caller.username);
      if (!user) throw notFound();
      return {
        ...fullUserJson(user, await orgId()),
        groups: await ctx.userContent.groupsOfUser(user.username),
      };
    },
  });

  route<{ username: string }>(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/community/users/:username',
    summary: 'A user: the full view for administrators and the user; a reduced one for other members.',
    tags: ['users'],
    auth: 'public',
    handler: async (req) => {
      const { username } = req.params as { username: string };
      // Anonymous callers see no one: "User not found" either way, so usernames are not revealed.
      if (!req.caller) throw notFound();
      const user = await findUserByUsername(ctx.db.kysely, username);
      if (!user) throw notFound();
      const full = isAdmin(req.caller) || isSelf(req.caller, user.username);
      const id = await orgId();
      return full
        ? {
            ...(isAdmin(req.caller)
              ? (await fullUsersJson(ctx.db.kysely, [user], id))[0]
              : fullUserJson(user, id)),
            groups: await ctx.userContent.groupsOfUser(user.username),
          }
        : publicUserJson(user, id);
    },
  });

  route<UpdateArgs>(app, {
    method: 'POST',
    url: '/sharing/rest/community/users/:username/update',
    summary:
      'Updates a user profile (the user, or an administrator). The user changes their own password with password + oldPassword.',
    tags: ['users'],
    auth: 'user',
    params: updateParams,
    handler: async (req, a) => {
      const { username } = req.params as { username: string };
      const caller = requireCaller(req.caller);
      const self = isSelf(caller, username);
      if (!self && !isAdmin(caller)) throw notFound();
      const user = await findUserByUsername(ctx.db.kysely, username);
      if (!user) throw notFound();
      if (a.password !== undefined) {
        checkPasswordPolicy(a.password, user.username);
        if (!self)
          throw new MeridianError(
            Forbidden,
            `Administrators set another user's password with POST /portaladmin/security/users/${user.username}/update.`,
          );
        await changeOwnPassword(ctx, user.username, a.oldPassword, a.password, req.ip);
      }
      await updateProfile(ctx, user.username, {
        fullName: a.fullname ?? a.fullName,
        firstName: a.firstname ?? a.firstName,
        lastName: a.lastname ?? a.lastName,
        email: a.email,
        description: a.description,
      });
      return { success: true, username: user.username };
    },
  });

  route(app, {
    method: 'POST',
    url: '/sharing/rest/community/users/:username/delete',
    summary: 'Deletes a user who owns no items or groups (administrators).',
    tags: ['users'],
    auth: 'admin',
    handler: async (req) => {
      const { username } = req.params as { username: string };
      const user = await findUserByUsername(ctx.db.kysely, username);
      if (!user) throw notFound();
      await deleteUser(ctx, user.username);
      return { success: true, username: user.username };
    },
  });

  route<{ user: string; role: string }>(app, {
    method: 'POST',
    url: '/sharing/rest/portals/self/updateUserRole',
    summary: "Changes a user's role (administrators).",
    tags: ['users'],
    auth: 'admin',
    params: { user: { type: 'string' }, role: { type: 'string' } },
    required: ['user', 'role'],
    handler: async (_req, a) => {
      await setRole(ctx, a.user, a.role);
      return { success: true, username: a.user };
    },
  });

  route<SearchArgs>(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/community/users',
    summary:
      'Searches users: q (free text over username and full name, or username:, role:, fullname:, provider:), start, num, sortField, sortOrder.',
    tags: ['users'],
    auth: 'public',
    params: searchParams,
    handler: async (req, a) => {
      const admin = isAdmin(req.caller);
      if (!req.caller)
        return { query: a.q ?? '', total: 0, start: 1, num: a.num ?? 10, nextStart: -1, results: [] };
      const r = await searchUsers(ctx.db, { ...a, admin });
      const id = await orgId();
      return {
        query: a.q ?? '',
        total: r.total,
        start: r.start,
        num: r.num,
        nextStart: r.nextStart,
        results: admin
          ? await fullUsersJson(ctx.db.kysely, r.results, id)
          : r.results.map((u) => publicUserJson(u, id)),
      };
    },
  });

  for (const url of ['/sharing/rest/portals/self/users/search', '/sharing/rest/portals/self/users']) {
    route<SearchArgs>(app, {
      method: ['GET', 'POST'],
      url,
      summary: "Searches the organisation's users (administrators see every field).",
      tags: ['users'],
      auth: 'user',
      params: searchParams,
      handler: async (req, a) => {
        const admin = isAdmin(req.caller);
        const r = await searchUsers(ctx.db, { ...a, admin });
        const id = await orgId();
        const results = admin
          ? await fullUsersJson(ctx.db.kysely, r.results, id)
          : r.results.map((u) => publicUserJson(u, id));
        return {
          total: r.total,
          start: r.start,
          num: r.num,
          nextStart: r.nextStart,
          results,
          // portals/self/users answered `users` in older ArcGIS releases; keep both names.
          ...(url.endsWith('/users') ? { users: results } : {}),
        };
      },
    });
  }
}
