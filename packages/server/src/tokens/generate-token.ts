import type { FastifyRequest } from 'fastify';
import { requireCaller } from '../http/require-caller.ts';
import { isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';
import { bindingFor } from './binding.ts';
import type { TokensContext } from './context.ts';
import { TokenNotGenerated } from './errors.ts';
import { tokenLifetimeMinutes } from './expiration-policy.ts';
import { issueSignedIn } from './signed-in.ts';

/** What generateToken takes (the Sharing API's and a GIS server's alike). */
export interface GenerateTokenArgs {
  username?: string;
  password?: string;
  client?: 'referer' | 'ip' | 'requestip';
  referer?: string;
  ip?: string;
  expiration?: number;
}

/**
 * A password in a URL ends up in proxy, browser and server logs: refused outright, so that a
 * client that does it learns to send it in the body of a POST.
 */
export function refusePasswordInUrl(req: FastifyRequest): void {
  if (Object.hasOwn((req.query ?? {}) as object, 'password'))
    throw new MeridianError(TokenNotGenerated, 'Unable to generate token.', {
      details: [
        'The password was sent in the URL, where logs and proxies keep it. Send username and password in the body of a POST (application/x-www-form-urlencoded); then change this password.',
      ],
    });
}

/**
 * generateToken: checks the password (throttled), then issues a token bound to a referer or an
 * address. Failures answer in the ArcGIS shape: "Unable to generate token." with the reason in
 * details.
 */
export async function generateToken(
  ctx: TokensContext,
  req: FastifyRequest,
  args: GenerateTokenArgs,
): Promise<{ token: string; expires: number; ssl: true }> {
  refusePasswordInUrl(req);
  if (!args.username || !args.password)
    throw new MeridianError(TokenNotGenerated, 'Unable to generate token.', {
      details: ["Send 'username' and 'password'."],
    });
  const bind = bindingFor(args, req.ip);
  const user = await signInForToken(ctx, args.username, args.password, req.ip);
  const issued = await issueSignedIn(ctx, user, { kind: 'api', expirationMinutes: args.expiration, bind });
  return { token: issued.token, expires: issued.expires, ssl: true };
}

/**
 * generateToken with serverUrl: a server token for a GIS server federated with this portal, for
 * the caller of the request's portal token (no password), or for username and password when
 * they are sent instead. Its lifetime is the requested minutes clamped to the organisation's
 * maximum; a serverUrl that is no federated server's is refused (by the servers module).
 */
export async function generateServerToken(
  ctx: TokensContext,
  req: FastifyRequest,
  args: GenerateTokenArgs & { serverUrl: string },
): Promise<{ token: string; expires: number; ssl: true }> {
  refusePasswordInUrl(req);
  let caller: { userId: string; username: string; role: string } | undefined = req.caller;
  if (args.username && args.password) {
    const user = await signInForToken(ctx, args.username, args.password, req.ip);
    caller = { userId: user.id, username: user.username, role: user.role };
  }
  if (!caller) requireCaller(undefined);
  if (!ctx.serverTokens)
    throw new MeridianError(TokenNotGenerated, 'Unable to generate token.', {
      details: [`${args.serverUrl.slice(0, 200)} is not a server federated with this portal.`],
    });
  const minutes = tokenLifetimeMinutes(args.expiration, await ctx.tokenPolicy());
  const issued = await ctx.serverTokens(caller!, args.serverUrl, ctx.clock.now() + minutes * 60_000);
  return { token: issued.token, expires: issued.expires, ssl: true };
}

/** Checks the password (throttled); a refusal answers in the ArcGIS shape: "Unable to generate token." with the reason in details. */
async function signInForToken(ctx: TokensContext, username: string, password: string, ip: string) {
  try {
    return await ctx.identity.signIn(username, password, ip);
  } catch (err) {
    if (!isMeridianError(err)) throw err;
    throw new MeridianError(TokenNotGenerated, 'Unable to generate token.', {
      details: [err.message],
      data: err.data,
      detail: err.code,
    });
  }
}
