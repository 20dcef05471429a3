import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { type OAuthApp, OOB_REDIRECT, PORTAL_CLIENT_ID } from '../apps/registry.ts';
import { createAuthorization } from './authorizations.ts';
import type { FlowContext } from './context.ts';
import {
  AuthorizeRequestInvalid,
  oauthError,
  PkceInvalid,
  RedirectUriUnregistered,
  ResponseTypeUnsupported,
  UnknownClient,
} from './errors.ts';
import { CHALLENGE } from './pkce.ts';
import { redirectTo } from './redirect.ts';

export interface AuthorizeRequest {
  client_id?: string | undefined;
  response_type?: string | undefined;
  redirect_uri?: string | undefined;
  state?: string | undefined;
  expiration?: number | undefined;
  code_challenge?: string | undefined;
  code_challenge_method?: string | undefined;
}

/** An error to show on the portal's own page: the redirect URI is not known to be the app's. */
export class PageError extends Error {
  readonly error: MeridianError;
  constructor(error: MeridianError) {
    super(error.message);
    this.error = error;
  }
}

export type AuthorizeOutcome =
  | { kind: 'sign-in'; authorizationId: string; app: OAuthApp }
  /** An error after the redirect URI was verified: it travels back to the app (RFC 6749). */
  | { kind: 'redirect'; location: string };

/**
 * Checks an authorization request in RFC 6749's order: the client and its redirect URI first
 * (an error there is shown on the portal's page, never sent to an unverified URI), then the rest
 * (an error there goes back to the verified redirect URI with error and error_description).
 * A valid request is stored and answered with the sign-in page's oauth_state.
 */
export async function beginAuthorization(ctx: FlowContext, req: AuthorizeRequest): Promise<AuthorizeOutcome> {
  if (!req.client_id)
    throw new PageError(new MeridianError(AuthorizeRequestInvalid, 'client_id is missing.'));
  const app = await ctx.apps.find(req.client_id);
  if (!app) throw new PageError(new MeridianError(UnknownClient));
  if (!req.redirect_uri)
    throw new PageError(new MeridianError(AuthorizeRequestInvalid, 'redirect_uri is missing.'));
  if (!ctx.redirectAllowed(app, req.redirect_uri))
    throw new PageError(new MeridianError(RedirectUriUnregistered));

  const oob = req.redirect_uri === OOB_REDIRECT;
  const responseType = req.response_type;
  const fail = (error: MeridianError): AuthorizeOutcome => {
    if (oob) throw new PageError(error);
    const data = error.data as { error: string; error_description: string };
    return {
      kind: 'redirect',
      location: redirectTo(
        req.redirect_uri!,
        { error: data.error, error_description: data.error_description, state: req.state },
        responseType === 'token' ? 'fragment' : 'query',
      ),
    };
  };
  if (responseType !== 'code' && responseType !== 'token')
    return fail(oauthError(ResponseTypeUnsupported, 'unsupported_response_type'));
  if (responseType === 'token' && oob)
    return fail(
      oauthError(
        ResponseTypeUnsupported,
        'unsupported_response_type',
        'The out-of-band redirect takes response_type=code.',
      ),
    );
  if (responseType === 'token' && app.appType === 'server')
    return fail(
      oauthError(
        ResponseTypeUnsupported,
        'unauthorized_client',
        'A server app signs users in with response_type=code and its client_secret.',
      ),
    );
  const challenge = req.code_challenge;
  if (challenge !== undefined || req.code_challenge_method !== undefined) {
    if (responseType !== 'code')
      return fail(oauthError(PkceInvalid, 'invalid_request', 'PKCE goes with response_type=code.'));
    if ((req.code_challenge_method ?? 'plain') !== 'S256')
      return fail(
        oauthError(
          PkceInvalid,
          'invalid_request',
          'code_challenge_method must be S256; plain is not accepted.',
        ),
      );
    if (!challenge || !CHALLENGE.test(challenge))
      return fail(
        oauthError(
          PkceInvalid,
          'invalid_request',
          'code_challenge must be the 43-character base64url SHA-256 of the code verifier.',
        ),
      );
  } else if (responseType === 'code' && !app.hasSecret) {
    // An app without a secret (the portal's own client) could never prove it is the app.
    return fail(
      oauthError(
        PkceInvalid,
        'invalid_request',
        `The ${app.clientId === PORTAL_CLIENT_ID ? 'portal' : 'app'} signs in with PKCE: send code_challenge and code_challenge_method=S256.`,
      ),
    );
  }
  if (req.state !== undefined && req.state.length > 4096)
    return fail(
      oauthError(AuthorizeRequestInvalid, 'invalid_request', 'state is longer than 4,096 characters.'),
    );
  const expiration =
    req.expiration !== undefined && Number.isFinite(req.expiration) && req.expiration > 0
      ? Math.floor(req.expiration)
      : null;
  const authorizationId = await createAuthorization(
    ctx.db.kysely,
    {
      client_id: app.clientId,
      redirect_uri: req.redirect_uri,
      response_type: responseType,
      state: req.state ?? null,
      code_challenge: challenge ?? null,
      expiration_minutes: expiration,
    },
    ctx.clock.now(),
  );
  return { kind: 'sign-in', authorizationId, app };
}
