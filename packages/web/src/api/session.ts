import { request, setCsrfToken } from './client.ts';
import type { Session } from './types.ts';

const SESSION = '/sharing/rest/web/session';

/** Current session, or throws ApiError 499 when signed out. */
export async function getSession(): Promise<Session> {
  const session = await request<Session>(SESSION, { authRedirect: false });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signIn(username: string, password: string): Promise<Session> {
  const session = await request<Session>(SESSION, {
    method: 'POST',
    form: { username, password },
    authRedirect: false,
  });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await request<unknown>(SESSION, { method: 'DELETE', authRedirect: false });
  } finally {
    setCsrfToken(null);
  }
}

/** Revokes every token and web session of the user, on every device (this one included). */
export async function signOutEverywhere(): Promise<void> {
  try {
    await request<unknown>('/sharing/rest/oauth2/signout', { method: 'POST', form: {}, authRedirect: false });
  } finally {
    setCsrfToken(null);
  }
}
