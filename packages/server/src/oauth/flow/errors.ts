import { defineError, type ErrorSpec, MeridianError } from '../../kernel/errors/meridian-error.ts';

/** RFC 6749's error codes (sections 4.1.2.1, 4.2.2.1 and 5.2). */
export type Rfc6749Error =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'access_denied'
  | 'server_error';

/**
 * An OAuth error: Meridian's code names exactly what was wrong; `error` and
 * `error_description` travel as RFC 6749 says (in the token answer's body, or in the redirect).
 */
export function oauthError(spec: ErrorSpec, error: Rfc6749Error, description?: string): MeridianError {
  const message = description ?? spec.summary;
  return new MeridianError(spec, message, { data: { error, error_description: message } });
}

// Shown on the portal's page: the redirect URI is not (yet) known to be the client's.
export const UnknownClient = defineError({
  code: 'oauth.unknown_client',
  status: 400,
  summary: 'No app is registered with this client_id.',
  fix: "Check the app's client_id (its item page shows it); the portal's own client is arcgisonline.",
});

export const RedirectUriUnregistered = defineError({
  code: 'oauth.redirect_uri_unregistered',
  status: 400,
  summary: 'The redirect_uri is not one of the redirect URIs registered for this app.',
  fix: "Send one of the app's registered redirect URIs exactly (scheme, host, port and path), or register this one on the app's item page.",
});

export const AuthorizeRequestInvalid = defineError({
  code: 'oauth.authorize_request_invalid',
  status: 400,
  summary: 'The authorization request is incomplete or malformed.',
  fix: 'Send client_id, response_type=code or token, and redirect_uri; with PKCE, code_challenge and code_challenge_method=S256.',
});

export const ResponseTypeUnsupported = defineError({
  code: 'oauth.response_type_unsupported',
  status: 400,
  summary: 'response_type must be code or token.',
  fix: 'Use response_type=code (with PKCE for browser and native apps) or token; the out-of-band redirect takes code only.',
});

export const PkceInvalid = defineError({
  code: 'oauth.pkce_invalid',
  status: 400,
  summary: 'The PKCE code challenge is missing or not an S256 challenge.',
  fix: 'Send code_challenge (the base64url SHA-256 of the code verifier, 43 characters) with code_challenge_method=S256; plain is not accepted.',
});

export const AuthorizationExpired = defineError({
  code: 'oauth.authorization_expired',
  status: 400,
  summary: 'This sign-in has expired or was already completed.',
  fix: 'Go back to the app and sign in again.',
});

export const AccessDenied = defineError({
  code: 'oauth.access_denied',
  status: 400,
  summary: 'The user cancelled the sign-in.',
  fix: 'Sign in again from the app.',
});

// The token endpoint (RFC 6749 section 5.2).
export const TokenRequestInvalid = defineError({
  code: 'oauth.token_request_invalid',
  status: 400,
  summary: 'The token request is incomplete.',
  fix: 'authorization_code needs code, redirect_uri, client_id and code_verifier (or client_secret); refresh_token and exchange_refresh_token need refresh_token and client_id; client_credentials needs client_id and client_secret.',
});

export const GrantTypeUnsupported = defineError({
  code: 'oauth.grant_type_unsupported',
  status: 400,
  summary: 'grant_type is not one the portal issues tokens for.',
  fix: 'Use authorization_code, refresh_token, exchange_refresh_token or client_credentials.',
});

export const ClientAuthenticationFailed = defineError({
  code: 'oauth.client_authentication_failed',
  status: 401,
  arcgisCode: 400,
  summary: 'The client could not be authenticated.',
  fix: "Send the app's current client_secret, or use PKCE (code_verifier) for an app without a secret; a rotated secret stops working at once.",
});

export const CodeInvalid = defineError({
  code: 'oauth.code_invalid',
  status: 400,
  summary: 'The authorization code is unknown or has expired.',
  fix: 'Exchange a code within 5 minutes of the sign-in, once; then sign in again.',
});

export const CodeReused = defineError({
  code: 'oauth.code_reused',
  status: 400,
  summary: 'The authorization code was already exchanged; everything issued with it has been revoked.',
  fix: 'A code is single-use. Sign in again; if the app did not reuse it, the code was intercepted.',
});

export const CodeClientMismatch = defineError({
  code: 'oauth.code_client_mismatch',
  status: 400,
  summary: 'The authorization code was issued to another app.',
  fix: 'Exchange a code with the client_id it was issued to.',
});

export const CodeRedirectMismatch = defineError({
  code: 'oauth.code_redirect_mismatch',
  status: 400,
  summary: 'redirect_uri differs from the one the code was issued for.',
  fix: 'Send the same redirect_uri as in the authorization request.',
});

export const CodeVerifierMismatch = defineError({
  code: 'oauth.code_verifier_mismatch',
  status: 400,
  summary: 'The code_verifier does not match the code challenge of the authorization request.',
  fix: 'Send the code verifier whose S256 challenge started this sign-in.',
});

export const RefreshTokenInvalid = defineError({
  code: 'oauth.refresh_token_invalid',
  status: 400,
  summary: 'The refresh token is unknown, expired, revoked or was issued to another app.',
  fix: 'Sign in again to get a new refresh token.',
});

export const RefreshTokenUserRevoked = defineError({
  code: 'oauth.refresh_token_user_revoked',
  status: 400,
  summary:
    "The refresh token was revoked with the user's other tokens (disabled, password or role changed, signed out everywhere).",
  fix: 'Sign in again; an administrator enables a disabled account in Organization › Members.',
});
