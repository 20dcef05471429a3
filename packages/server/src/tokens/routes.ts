import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireCaller } from '../http/require-caller.ts';
import { route } from '../http/route.ts';
import { requireSameOrigin } from '../http/same-origin.ts';
import { TokenJson } from '../http/schemas.ts';
import { isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';
import { bindingFor } from './binding.ts';
import type { TokensContext } from './context.ts';
import { TokenNotGenerated } from './errors.ts';
import { generateServerToken } from './generate-token.ts';
import { PortalGenerateTokenParams, SessionJson, SignedOut } from './schemas.ts';
import { clearSessionCookie, endSessionCookie } from './session-cookie.ts';
import { issueSignedIn } from './signed-in.ts';
import { SESSION_COOKIE } from './token-sources.ts';

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
