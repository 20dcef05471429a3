import type { UserRow } from '../identity/module.ts';
import type { TokensContext } from './context.ts';
import { tokenLifetimeMinutes } from './expiration-policy.ts';
import type { TokenBinding } from './token-format.ts';
import { openWebSession } from './web-sessions.ts';

export interface SignedIn {
  token: string;
  /** Epoch ms. */
  expires: number;
  /** Minutes the token lives. */
  minutes: number;
  /** For a web session: its id (the cookie's token names it). */
  sessionId?: string;
}

/**
 * The one way a signed-in user gets a credential, whatever proved who they are (a password
 * today; OAuth and SAML next): a token for API clients (`api`, optionally bound to a referer or
 * an address) or a web session (`web`, whose token travels only as the HttpOnly cookie). Its
 * lifetime is the requested minutes clamped to the organisation's maximum.
 */
export async function issueSignedIn(
  ctx: Pick<TokensContext, 'db' | 'tokenPolicy' | 'tokens' | 'clock'>,
  user: Pick<UserRow, 'id' | 'username' | 'token_epoch'>,
  opts: { kind: 'api' | 'web'; expirationMinutes?: number; bind?: TokenBinding; grantId?: string },
): Promise<SignedIn> {
  const minutes = tokenLifetimeMinutes(opts.expirationMinutes, await ctx.tokenPolicy());
  const expires = ctx.clock.now() + minutes * 60_000;
  const sessionId = opts.kind === 'web' ? await openWebSession(ctx.db.kysely, user.id, expires) : undefined;
  const issued = await ctx.tokens.issue({
    userId: user.id,
    username: user.username,
    epoch: Number(user.token_epoch),
    expires,
    kind: opts.kind,
    ...(opts.bind ? { bind: opts.bind } : {}),
    ...(sessionId ? { sessionId } : {}),
    ...(opts.grantId ? { grantId: opts.grantId } : {}),
  });
  return { token: issued.token, expires, minutes, ...(sessionId ? { sessionId } : {}) };
}
