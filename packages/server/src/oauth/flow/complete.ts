import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { OOB_REDIRECT } from '../apps/registry.ts';
import { type Authorization, endAuthorization, findAuthorization, holdOobCode } from './authorizations.ts';
import { PageError } from './authorize.ts';
import { CODE_TTL_MS, issueCode } from './codes.ts';
import type { FlowContext } from './context.ts';
import { AccessDenied, AuthorizationExpired, oauthError } from './errors.ts';
import { redirectTo } from './redirect.ts';

const OOB_CONTEXT = 'oauth.oob_code';

export interface SignedInUser {
  id: string;
  username: string;
  token_epoch: number;
}

/** The request behind a sign-in page, or the page error saying it is gone. */
export async function pendingAuthorization(ctx: FlowContext, id: string): Promise<Authorization> {
  const auth = await findAuthorization(ctx.db.kysely, id, ctx.clock.now());
  if (!auth || auth.oob_code_sealed !== null) throw new PageError(new MeridianError(AuthorizationExpired));
  return auth;
}

/**
 * Finishes an authorization for the user who just proved who they are: a code (redirected in
 * the query, or held for the approval page), or an access token (implicit: in the fragment).
 * Answers where the browser goes next.
 */
export async function completeAuthorization(
  ctx: FlowContext,
  id: string,
  user: SignedInUser,
  /** Told the grant made for this sign-in before the browser is sent on (SAML remembers its session). */
  onGrant?: (grantId: string) => Promise<void>,
): Promise<string> {
  const auth = await pendingAuthorization(ctx, id);
  const now = ctx.clock.now();
  const oob = auth.redirect_uri === OOB_REDIRECT;
  if (!oob && !(await endAuthorization(ctx.db.kysely, id)))
    throw new PageError(new MeridianError(AuthorizationExpired));
  if (auth.response_type === 'code') {
    const grantId = await ctx.grants.create(auth.client_id, user.id, now + CODE_TTL_MS);
    await onGrant?.(grantId);
    const code = await issueCode(
      ctx.db.kysely,
      {
        grant_id: grantId,
        client_id: auth.client_id,
        user_id: user.id,
        redirect_uri: auth.redirect_uri,
        code_challenge: auth.code_challenge,
        expiration_minutes: auth.expiration_minutes,
      },
      now,
    );
    if (oob) {
      await holdOobCode(ctx.db.kysely, id, ctx.box.seal(Buffer.from(code), OOB_CONTEXT), now);
      return `/sharing/rest/oauth2/approval?oauth_state=${encodeURIComponent(id)}`;
    }
    return redirectTo(auth.redirect_uri, { code, state: auth.state ?? undefined }, 'query');
  }
  const grantId = await ctx.grants.create(auth.client_id, user.id, now);
  await onGrant?.(grantId);
  const issued = await ctx.tokens.issueSignedIn(user, {
    kind: 'api',
    ...(auth.expiration_minutes !== null ? { expirationMinutes: auth.expiration_minutes } : {}),
    grantId,
  });
  await ctx.grants.extend(grantId, issued.expires);
  return redirectTo(
    auth.redirect_uri,
    {
      access_token: issued.token,
      expires_in: String(Math.floor((issued.expires - now) / 1000)),
      username: user.username,
      ssl: 'true',
      state: auth.state ?? undefined,
    },
    'fragment',
  );
}

/** The user cancelled: the app hears access_denied (RFC 6749 section 4.1.2.1). */
export async function cancelAuthorization(ctx: FlowContext, id: string): Promise<string> {
  const auth = await pendingAuthorization(ctx, id);
  await endAuthorization(ctx.db.kysely, id);
  const error = oauthError(AccessDenied, 'access_denied');
  if (auth.redirect_uri === OOB_REDIRECT) throw new PageError(error);
  return redirectTo(
    auth.redirect_uri,
    { error: 'access_denied', error_description: error.message, state: auth.state ?? undefined },
    auth.response_type === 'token' ? 'fragment' : 'query',
  );
}

/** The out-of-band code, shown once on the approval page. */
export async function takeOobCode(ctx: FlowContext, id: string): Promise<string> {
  const auth = await findAuthorization(ctx.db.kysely, id, ctx.clock.now());
  if (!auth?.oob_code_sealed || !(await endAuthorization(ctx.db.kysely, id)))
    throw new PageError(new MeridianError(AuthorizationExpired));
  return ctx.box.open(auth.oob_code_sealed, OOB_CONTEXT).toString();
}
