import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Caller } from '../http/caller.ts';
import { clampedNumParam, START_PARAM } from '../http/paging-params.ts';
import { requireCaller } from '../http/require-caller.ts';
import { route } from '../http/route.ts';
import { StringEnum } from '../http/schemas.ts';
import { Forbidden } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { IdentityContext } from './context.ts';
import { UserNotFound } from './errors.ts';
import { checkPasswordPolicy } from './password-policy.ts';
import { OrgUsersJson, SelfJson, UsernameAnswer, UserSearchJson, UserViewJson } from './schemas.ts';
import { fullUserJson, fullUsersJson, publicUserJson } from './user-json.ts';
import { searchUsers } from './user-search.ts';
import { changeOwnPassword, deleteUser, setRole, updateProfile } from './users-service.ts';
import { findUserByUsername, usernameKey } from './users-store.ts';

const optStr = (maxLength?: number) => Type.Optional(Type.String(maxLength ? { maxLength } : {}));

const searchParams = Type.Object({
  q: optStr(2048),
  start: START_PARAM,
  num: clampedNumParam(100),
  sortField: optStr(64),
  sortOrder: Type.Optional(StringEnum(['asc', 'desc', 'ASC', 'DESC'])),
});

const updateParams = Type.Object({
  fullname: optStr(),
  fullName: optStr(),
  firstname: optStr(),
  firstName: optStr(),
  lastname: optStr(),
  lastName: optStr(),
  email: optStr(),
  description: optStr(),
  password: optStr(1024),
  oldPassword: optStr(1024),
});

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
    response: SelfJson,
    handler: async (req) => {
      const caller = requireCaller(req.caller);
      // The row token verification just read (one map look-up, no query).
      const user = await ctx.users.row(caller.userId);
      if (!user) throw notFound();
      return {
        ...fullUserJson(user, await orgId()),
        groups: await ctx.userContent.groupsOfUser(user.username),
      };
    },
  });

  route(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/community/users/:username',
    summary: 'A user: the full view for administrators and the user; a reduced one for other members.',
    tags: ['users'],
    auth: 'public',
    response: UserViewJson,
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

  route(app, {
    method: 'POST',
    url: '/sharing/rest/community/users/:username/update',
    summary:
      'Updates a user profile (the user, or an administrator). The user changes their own password with password + oldPassword.',
    tags: ['users'],
    auth: 'user',
    params: updateParams,
    response: UsernameAnswer,
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
    response: UsernameAnswer,
    handler: async (req) => {
      const { username } = req.params as { username: string };
      const user = await findUserByUsername(ctx.db.kysely, username);
      if (!user) throw notFound();
      await deleteUser(ctx, user.username);
      return { success: true, username: user.username };
    },
  });

  route(app, {
    method: 'POST',
    url: '/sharing/rest/portals/self/updateUserRole',
    summary: "Changes a user's role (administrators).",
    tags: ['users'],
    auth: 'admin',
    params: Type.Object({ user: Type.String(), role: Type.String() }),
    response: UsernameAnswer,
    handler: async (_req, a) => {
      await setRole(ctx, a.user, a.role);
      return { success: true, username: a.user };
    },
  });

  route(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/community/users',
    summary:
      'Searches users: q (free text over username and full name, or username:, role:, fullname:, provider:), start, num, sortField, sortOrder.',
    tags: ['users'],
    auth: 'public',
    params: searchParams,
    response: UserSearchJson,
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
    route(app, {
      method: ['GET', 'POST'],
      url,
      summary: "Searches the organisation's users (administrators see every field).",
      tags: ['users'],
      auth: 'user',
      params: searchParams,
      response: OrgUsersJson,
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
