import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { clampedNumParam, START_PARAM } from '../http/paging-params.ts';
import { route } from '../http/route.ts';
import { StringEnum } from '../http/schemas.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { IdentityContext } from './context.ts';
import { UserNotFound } from './errors.ts';
import { checkPasswordPolicy } from './password-policy.ts';
import { AdminSuccess, AdminUsersJson } from './schemas.ts';
import { fullUsersJson } from './user-json.ts';
import { searchUsers } from './user-search.ts';
import {
  createUser,
  deleteUser,
  setDisabled,
  setPassword,
  setRole,
  unlockUser,
  updateProfile,
} from './users-service.ts';
import { findUserByUsername } from './users-store.ts';

const SUCCESS = { status: 'success' } as const;

const optStr = (maxLength?: number) => Type.Optional(Type.String(maxLength ? { maxLength } : {}));

function usernameParam(req: { params: unknown }): string {
  return (req.params as { username: string }).username;
}

/** Administrator API: /portaladmin/security/users/… (answers {"status":"success"}). */
export async function registerPortalAdminUserRoutes(
  app: FastifyInstance,
  ctx: IdentityContext,
): Promise<void> {
  const base = '/portaladmin/security/users';

  route(app, {
    method: 'POST',
    url: `${base}/createUser`,
    summary:
      'Creates a user: a built-in account (provider arcgis, with a password) or an enterprise (SAML) account (provider enterprise, idpUsername = the NameID, idpEntityId = the IdP).',
    tags: ['portaladmin'],
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({
      username: Type.String(),
      password: optStr(1024),
      firstname: optStr(),
      lastname: optStr(),
      fullname: optStr(),
      email: Type.String(),
      role: Type.String(),
      description: optStr(),
      provider: Type.Optional(
        StringEnum(['arcgis', 'enterprise'], {
          description:
            'arcgis: a built-in account (refused while allowBuiltInAccounts is off); enterprise: a SAML account, without a password.',
        }),
      ),
      idpUsername: Type.Optional(
        Type.String({
          maxLength: 512,
          description:
            'enterprise: the NameID the identity provider asserts for the person (default: username).',
        }),
      ),
      idpEntityId: Type.Optional(
        Type.String({
          maxLength: 1024,
          description:
            "Meridian's parameter, enterprise only: the entity ID of the identity provider that vouches for the person (one of a federation's). Absent: the account is bound to the IdP of a single-IdP login at its first sign-in.",
        }),
      ),
      userLicenseTypeId: Type.Optional(
        Type.String({ description: 'Accepted for compatibility; Meridian has no user types.' }),
      ),
    }),
    response: AdminSuccess,
    handler: async (_req, a) => {
      await createUser(ctx, {
        username: a.username,
        password: a.password,
        firstName: a.firstname,
        lastName: a.lastname,
        fullName: a.fullname,
        email: a.email,
        role: a.role,
        description: a.description,
        provider: a.provider,
        idpUsername: a.idpUsername,
        idpEntityId: a.idpEntityId,
      });
      return SUCCESS;
    },
  });

  route(app, {
    method: 'POST',
    url: `${base}/:username/update`,
    summary: "Changes a user's profile fields, or sets their password (which revokes their tokens).",
    tags: ['portaladmin'],
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({
      password: optStr(1024),
      firstname: optStr(),
      lastname: optStr(),
      fullname: optStr(),
      email: optStr(),
      description: optStr(),
    }),
    response: AdminSuccess,
    handler: async (req, a) => {
      const username = usernameParam(req);
      const user = await findUserByUsername(ctx.db.kysely, username);
      if (!user) throw new MeridianError(UserNotFound, `User not found: '${username}'.`);
      // Check the password before anything is written, so that bad input changes nothing.
      if (a.password !== undefined) checkPasswordPolicy(a.password, user.username);
      await updateProfile(ctx, user.username, {
        firstName: a.firstname,
        lastName: a.lastname,
        fullName: a.fullname,
        email: a.email,
        description: a.description,
      });
      if (a.password !== undefined) await setPassword(ctx, user.username, a.password);
      return SUCCESS;
    },
  });

  for (const [op, run] of [
    ['delete', (u: string) => deleteUser(ctx, u)],
    ['disable', (u: string) => setDisabled(ctx, u, true)],
    ['enable', (u: string) => setDisabled(ctx, u, false)],
    ['unlock', (u: string) => unlockUser(ctx, u)],
  ] as const) {
    route(app, {
      method: 'POST',
      url: `${base}/:username/${op}`,
      summary:
        op === 'unlock'
          ? "Lifts a user's sign-in lockout, for every client address (enable and a new password do too)."
          : `${op[0]!.toUpperCase()}${op.slice(1)}s a user.`,
      tags: ['portaladmin'],
      auth: 'admin',
      errors: 'portaladmin',
      response: AdminSuccess,
      handler: async (req) => {
        await run(usernameParam(req));
        return SUCCESS;
      },
    });
  }

  route(app, {
    method: 'POST',
    url: `${base}/updateUserRole`,
    summary: "Changes a user's role (org_admin, org_publisher, org_user); revokes their tokens.",
    tags: ['portaladmin'],
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({ username: Type.String(), role: Type.String() }),
    response: AdminSuccess,
    handler: async (_req, a) => {
      await setRole(ctx, a.username, a.role);
      return SUCCESS;
    },
  });

  const listParams = Type.Object({
    start: START_PARAM,
    num: clampedNumParam(100),
    filter: Type.Optional(
      Type.String({ maxLength: 256, description: 'Free text over username and full name.' }),
    ),
    maxCount: clampedNumParam(100),
  });
  for (const url of [base, `${base}/search`]) {
    route(app, {
      method: ['GET', 'POST'],
      url,
      summary: 'Lists the users of the organisation (filter, start, num/maxCount).',
      tags: ['portaladmin'],
      auth: 'admin',
      errors: 'portaladmin',
      params: listParams,
      response: AdminUsersJson,
      handler: async (_req, a) => {
        const id = await ctx.portal.orgId();
        const q = a.filter ? `"${a.filter.replace(/"/g, '')}"` : '';
        const r = await searchUsers(ctx.db, {
          q,
          start: a.start,
          num: a.num ?? a.maxCount ?? 100,
          admin: true,
        });
        return {
          users: await fullUsersJson(ctx.db.kysely, r.results, id),
          total: r.total,
          start: r.start,
          num: r.num,
          nextStart: r.nextStart,
          hasMore: r.nextStart !== -1,
        };
      },
    });
  }
}
