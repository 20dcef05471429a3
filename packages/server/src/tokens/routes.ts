import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isMeridianError, MeridianError } from '../errors/meridian-error.ts';
import type { AppContext } from '../http/context.ts';
import { requireCaller } from '../http/require-caller.ts';
import { route } from '../http/route.ts';
import { signInWithPassword } from '../identity/sign-in.ts';
import { revokeTokens } from '../identity/users-service.ts';
import { bindingFor } from './binding.ts';
import { TokenNotGenerated } from './errors.ts';
import { tokenLifetimeMinutes } from './expiration-policy.ts';
import { tokenService } from './token-service.ts';
import { SESSION_COOKIE } from './token-sources.ts';

interface GenerateTokenArgs {
  username?: string;
  password?: string;
  client?: 'referer' | 'ip' | 'requestip';
  referer?: string;
  ip?: string;
  expiration?: number;
}

/** Sign-in failures answer in the ArcGIS shape: "Unable to generate token." with the reason in details. */
async function signInForToken(ctx: AppContext, username: string, password: string) {
  try {
    return await signInWithPassword(ctx, username, password);
  } catch (err) {
    if (!isMeridianError(err)) throw err;
    throw new MeridianError(TokenNotGenerated, 'Unable to generate token.', {
      details: [err.message],
      data: err.data,
      detail: err.code,
    });
  }
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
      if (!args.username || !args.password)
        throw new MeridianError(TokenNotGenerated, 'Unable to generate token.', {
          details: ["Send 'username' and 'password'."],
        });
      const bind = bindingFor(args, req.ip);
      const user = await signInForToken(ctx, args.username, args.password);
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
    summary: 'Signs in to the web UI: sets the HttpOnly session cookie and answers the CSRF token.',
    tags: ['tokens'],
    auth: 'public',
    params: { username: { type: 'string', maxLength: 128 }, password: { type: 'string', maxLength: 1024 } },
    required: ['username', 'password'],
    handler: async (_req, args, reply) => {
      const user = await signInWithPassword(ctx, args.username ?? '', args.password ?? '');
      const minutes = tokenLifetimeMinutes(undefined, await ctx.settings.get());
      const expires = Date.now() + minutes * 60_000;
      const { token } = await tokens.issue({
        userId: user.id,
        username: user.username,
        epoch: Number(user.token_epoch),
        expires,
        kind: 'web',
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
    summary: 'Signs out of the web UI: revokes every token of the user and clears the cookie.',
    tags: ['tokens'],
    auth: 'public',
    handler: async (req, _args, reply) => {
      if (req.caller) await revokeTokens(ctx, req.caller.userId);
      clearSession(reply);
      return { success: true };
    },
  });

  route(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/oauth2/signout',
    summary: 'Signs the caller out: every token and web session of the user stops working.',
    tags: ['tokens'],
    auth: 'user',
    handler: async (req, _args, reply) => {
      await revokeTokens(ctx, requireCaller(req.caller).userId);
      clearSession(reply);
      return { success: true };
    },
  });
}
