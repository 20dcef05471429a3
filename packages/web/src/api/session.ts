import { request, setCsrfToken } from './client.ts';
import type { Session } from './types.ts';

const SESSION = '/sharing/rest/web/session';

/** Current session, or throws ApiError 499 when signed out. */
export async function getSession(): Promise<Session> {
  const session = await request<Session>(SESSION, { authRedirect: false });
  setCsrfToken(session.csrfToken);
  return session;
}

/**
 * The last step of the OAuth sign-in: the authorization code (and its PKCE verifier) becomes
 * this browser's web session (the HttpOnly cookie, set by the portal) and its CSRF token.
 */
export async function exchangeCode(
  code: string,
  codeVerifier: string,
  redirectUri: string,
): Promise<Session> {
  const session = await request<Session>('/sharing/rest/oauth2/session', {
    method: 'POST',
    form: { code, code_verifier: codeVerifier, redirect_uri: redirectUri },
    authRedirect: false,
  });
  setCsrfToken(session.csrfToken);
  return session;
}

/** Revokes every token and web session of the user, on every device (this one included). */
export async function signOutEverywhere(): Promise<void> {
  try {
    await request<unknown>('/sharing/rest/oauth2/signout', { method: 'POST', form: {}, authRedirect: false });
  } finally {
    setCsrfToken(null);
  }
}
