import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireCaller } from '../http/require-caller.ts';
import { route } from '../http/route.ts';
import { requireSameOrigin } from '../http/same-origin.ts';
import { TokenJson } from '../http/schemas.ts';
import type { TokensContext } from './context.ts';
import { generateServerToken, generateToken } from './generate-token.ts';
import { PortalGenerateTokenParams, SessionJson, SignedOut } from './schemas.ts';
import { clearSessionCookie, endSessionCookie } from './session-cookie.ts';
import { SESSION_COOKIE } from './token-sources.ts';

async function sessionAnswer(ctx: TokensContext, req: FastifyRequest, token: string) {
  const tokens = ctx.tokens;
  const verified = await tokens.verify({ token, via: 'cookie', ip: req.ip, referer: req.headers.referer });
  return { username: verified.username, csrfToken: await tokens.csrfFor(token), expires: verified.expires };
}

export function registerTokenRoutes(app: FastifyInstance, ctx: TokensContext): void {
  route(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/generateToken',
    summary:
      'Exchanges a username and password for a token bound to a referer or an IP address (client=requestip by default); with serverUrl, a server token for a federated GIS server (for the caller of `token`).',
    tags: ['tokens'],
    auth: 'public',
    params: PortalGenerateTokenParams,
    response: TokenJson,
    handler: async (req, args) => {
      const { serverUrl, ...rest } = args;
      if (serverUrl) return generateServerToken(ctx, req, { ...rest, serverUrl });
      return generateToken(ctx, req, rest);
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
      await endSessionCookie(ctx, req, reply);
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
      clearSessionCookie(reply);
      return { success: true };
    },
  });
}
