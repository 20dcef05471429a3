import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../http/context.ts';
import { requireCaller } from '../http/require-caller.ts';
import { route } from '../http/route.ts';
import { requireSameOrigin } from '../http/same-origin.ts';
import { signInWithPassword } from '../identity/sign-in.ts';
import { revokeTokens } from '../identity/users-service.ts';
import { isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';
import { bindingFor } from './binding.ts';
import { TokenNotGenerated } from './errors.ts';
import { tokenLifetimeMinutes } from './expiration-policy.ts';
import { tokenService } from './token-service.ts';
import { SESSION_COOKIE } from './token-sources.ts';
import { endWebSession, openWebSession } from './web-sessions.ts';

interface GenerateTokenArgs {
  username?: string;
  password?: string;
  client?: 'referer' | 'ip' | 'requestip';
  referer?: string;
  ip?: string;
  expiration?: number;
}

/** Sign-in failures answer in the ArcGIS shape: "Unable to generate token." with the reason in details. */
async function signInForToken(ctx: AppContext, username: string, password: string, clientIp: string) {
  try {
    return await signInWithPassword(ctx, username, password, clientIp);
  } catch (err) {
    if (!isMeridianError(err)) throw err;
    throw new MeridianError(TokenNotGenerated, 'Unable to generate token.', {
      details: [err.message],
      data: err.data,
      detail: err.code,
    });
  }
}

/**
 * A password in a URL ends up in proxy, browser and server logs: refused outright, so that a
 * client that does it learns to send it in the body of a POST.
 */
function refusePasswordInUrl(req: FastifyRequest): void {
  if (Object.hasOwn((req.query ?? {}) as object, 'password'))
    throw new MeridianError(TokenNotGenerated, 'Unable to generate token.', {
      details: [
        'The password was sent in the URL, where logs and proxies keep it. Send username and password in the body of a POST (application/x-www-form-urlencoded); then change this password.',
      ],
    });
}

const COOKIE_OPTS = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } as const;

async function sessionAnswer(ctx: AppContext, req: FastifyRequest, token: string) {
  const tokens = tokenService(ctx);
  const verified = await tokens.verify({ token, via: 'cookie', ip: req.ip, referer: req.headers.referer });
  return { username: verified.username, csrfToken: await tokens.csrfFor(token), expires: verified.expires };
}

function clearSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, COOKIE_OPTS);
}

export async function registerTokenRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const tokens = tokenService(ctx);

  route<GenerateTokenArgs>(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/generateToken',
    summary:
      'Exchanges a username and password for a token bound to a referer or an IP address (client=requestip by default).',
    tags: ['tokens'],
    auth: 'public',
    params: {
      username: { type: 'string', maxLength: 128 },
      password: { type: 'string', maxLength: 1024 },
      client: { type: 'string', enum: ['referer', 'ip', 'requestip'] },
      referer: { type: 'string', maxLength: 2048 },
      ip: { type: 'string', maxLength: 64 },
      expiration: { type: 'number', description: 'Minutes; clamped to the org maximum.' },
    },
    handler: async (req, args) => {
      refusePasswordInUrl(req);
      if (!args.username || !args.password)
        throw new MeridianError(TokenNotGenerated, 'Unable to generate token.', {
          details: ["Send 'username' and 'password'."],
        });
      const bind = bindingFor(args, req.ip);
      const user = await signInForToken(ctx, args.username, args.password, req.ip);
      const minutes = tokenLifetimeMinutes(args.expiration, await ctx.settings.get());
      const issued = await tokens.issue({
        userId: user.id,
        username: user.username,
        epoch: Number(user.token_epoch),
        expires: Date.now() + minutes * 60_000,
        bind,
      });
      return { token: issued.token, expires: issued.expires, ssl: true };
    },
  });

  route<{ username?: string; password?: string }>(app, {
    method: 'POST',
    url: '/sharing/rest/web/session',
    summary:
      'Signs in to the web UI: opens a web session, sets its HttpOnly cookie and answers the CSRF token. Refused from another site (Origin).',
    tags: ['tokens'],
    auth: 'public',
    params: { username: { type: 'string', maxLength: 128 }, password: { type: 'string', maxLength: 1024 } },
    required: ['username', 'password'],
    handler: async (req, args, reply) => {
      requireSameOrigin(req);
      refusePasswordInUrl(req);
      const user = await signInWithPassword(ctx, args.username ?? '', args.password ?? '', req.ip);
      const minutes = tokenLifetimeMinutes(undefined, await ctx.settings.get());
      const expires = Date.now() + minutes * 60_000;
      const sessionId = await openWebSession(ctx.db.kysely, user.id, expires);
      const { token } = await tokens.issue({
        userId: user.id,
        username: user.username,
        epoch: Number(user.token_epoch),
        expires,
        kind: 'web',
        sessionId,
      });
      reply.setCookie(SESSION_COOKIE, token, { ...COOKIE_OPTS, maxAge: minutes * 60 });
      return { username: user.username, csrfToken: await tokens.csrfFor(token), expires };
    },
  });

  route(app, {
    method: 'GET',
    url: '/sharing/rest/web/session',
    summary: 'The web UI session of the caller (username, csrfToken, expires), or 499 when signed out.',
    tags: ['tokens'],
    auth: 'public',
    handler: async (req) => {
      const cookie = req.cookies[SESSION_COOKIE];
      if (req.caller?.via !== 'cookie' || !cookie) requireCaller(undefined);
      return sessionAnswer(ctx, req, cookie!);
    },
  });

  route(app, {
    method: 'DELETE',
    url: '/sharing/rest/web/session',
    summary:
      "Signs out of the web UI: ends this browser's session and clears the cookie; the user's other sessions and tokens keep working.",
    tags: ['tokens'],
    auth: 'public',
    handler: async (req, _args, reply) => {
      requireSameOrigin(req);
      if (req.caller?.sessionId) await endWebSession(ctx.db.kysely, req.caller.sessionId);
      clearSession(reply);
      return { success: true };
    },
  });

  route(app, {
    method: 'POST',
    url: '/sharing/rest/oauth2/signout',
    summary:
      'Signs the caller out everywhere: every token and web session of the user stops working (POST; refused from another site).',
    tags: ['tokens'],
    auth: 'user',
    handler: async (req, _args, reply) => {
      requireSameOrigin(req);
      await revokeTokens(ctx, requireCaller(req.caller).userId);
      clearSession(reply);
      return { success: true };
    },
  });
}
