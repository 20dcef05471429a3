import { tokenLifetimeMinutes } from '../../tokens/module.ts';
import type { FlowContext } from './context.ts';
import { ClientAuthenticationFailed, oauthError, TokenRequestInvalid } from './errors.ts';

/** An app token lives 2 hours unless the request asks otherwise (clamped to the organisation's maximum). */
export const APP_TOKEN_MINUTES = 120;

/** The grants of app tokens are the app's own: their user is the app. */
export const appGrantUser = (clientId: string) => `app:${clientId}`;

export interface ClientCredentialsRequest {
  client_id?: string | undefined;
  client_secret?: string | undefined;
  expiration?: number | undefined;
}

/**
 * grant_type=client_credentials (RFC 6749 section 4.4): a registered app proves itself with its
 * secret and gets an app token, which acts as the app and no user: it reads what is shared
 * publicly, never a user's content. Revoked with the app, and when its secret is replaced.
 */
export async function clientCredentials(ctx: FlowContext, req: ClientCredentialsRequest) {
  if (!req.client_id || !req.client_secret)
    throw oauthError(
      TokenRequestInvalid,
      'invalid_request',
      'client_credentials needs client_id and client_secret.',
    );
  const app = await ctx.apps.find(req.client_id);
  if (!app?.hasSecret || !(await ctx.apps.verifySecret(app.clientId, req.client_secret)))
    throw oauthError(ClientAuthenticationFailed, 'invalid_client');
  const minutes = tokenLifetimeMinutes(req.expiration ?? APP_TOKEN_MINUTES, await ctx.tokenPolicy());
  const now = ctx.clock.now();
  const expires = now + minutes * 60_000;
  const grantId = await ctx.grants.create(app.clientId, appGrantUser(app.clientId), expires);
  const issued = await ctx.tokens.service.issue({
    userId: app.clientId,
    username: app.clientId,
    epoch: 0,
    expires,
    kind: 'app',
    grantId,
  });
  return { access_token: issued.token, expires_in: minutes * 60, ssl: true as const };
}
