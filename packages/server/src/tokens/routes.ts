import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireCaller } from '../http/require-caller.ts';
import { route } from '../http/route.ts';
import { requireSameOrigin } from '../http/same-origin.ts';
import { GenerateTokenParams, TokenJson } from '../http/schemas.ts';
import { isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';
import { bindingFor } from './binding.ts';
import type { TokensContext } from './context.ts';
import { TokenNotGenerated } from './errors.ts';
import { SessionJson, SignedOut } from './schemas.ts';
import { issueSignedIn } from './signed-in.ts';
import { SESSION_COOKIE } from './token-sources.ts';
import { endWebSession } from './web-sessions.ts';

/** Sign-in failures answer in the ArcGIS shape: "Unable to generate token." with the reason in details. */
async function signInForToken(ctx: TokensContext, username: string, password: string, clientIp: string) {
  try {
    return await ctx.identity.signIn(username, password, clientIp);
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

async function sessionAnswer(ctx: TokensContext, req: FastifyRequest, token: string) {
  const tokens = ctx.tokens;
  const verified = await tokens.verify({ token, via: 'cookie', ip: req.ip, referer: req.headers.referer });
  return { username: verified.username, csrfToken: await tokens.csrfFor(token), expires: verified.expires };
}

function clearSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, COOKIE_OPTS);
}

export function registerTokenRoutes(app: FastifyInstance, ctx: TokensContext): void {
  const tokens = ctx.tokens;

  route(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/generateToken',
    summary:
      'Exchanges a username and password for a token bound to a referer or an IP address (client=requestip by default).',
    tags: ['tokens'],
    auth: 'public',
    params: GenerateTokenParams,
    response: TokenJson,
    handler: async (req, args) => {
      refusePasswordInUrl(req);
      if (!args.username || !args.password)
        throw new MeridianError(TokenNotGenerated, 'Unable to generate token.', {
          details: ["Send 'username' and 'password'."],
        });
      const bind = bindingFor(args, req.ip);
      const user = await signInForToken(ctx, args.username, args.password, req.ip);
      const issued = await issueSignedIn(ctx, user, {
        kind: 'api',
        expirationMinutes: args.expiration,
        bind,
      });
      return { token: issued.token, expires: issued.expires, ssl: true };
    },
  });

  route(app, {
    method: 'POST',
    url: '/sharing/rest/web/session',
    summary:
      'Signs in to the web UI: opens a web session, sets its HttpOnly cookie and answers the CSRF token. Refused from another site (Origin).',
    tags: ['tokens'],
    auth: 'public',
    params: Type.Object({
      username: Type.String({ maxLength: 128 }),
      password: Type.String({ maxLength: 1024 }),
    }),
    response: SessionJson,
    handler: async (req, args, reply) => {
      requireSameOrigin(req);
      refusePasswordInUrl(req);
      const user = await ctx.identity.signIn(args.username ?? '', args.password ?? '', req.ip);
      const session = await issueSignedIn(ctx, user, { kind: 'web' });
      reply.setCookie(SESSION_COOKIE, session.token, { ...COOKIE_OPTS, maxAge: session.minutes * 60 });
      return {
        username: user.username,
        csrfToken: await tokens.csrfFor(session.token),
        expires: session.expires,
      };
    },
  });

  route(app, {
    method: 'GET',
    url: '/sharing/rest/web/session',
    summary: 'The web UI session of the caller (username, csrfToken, expires), or 499 when signed out.',
    tags: ['tokens'],
    auth: 'public',
    response: SessionJson,
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
    response: SignedOut,
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
    response: SignedOut,
    handler: async (req, _args, reply) => {
      requireSameOrigin(req);
      await ctx.identity.revokeTokens(requireCaller(req.caller).userId);
      clearSession(reply);
      return { success: true };
    },
  });
}
