import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { ADMIN_PASSWORD, type TestPortal } from '../../../test/portal.ts';

/** For the OAuth tests: a PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** GET oauth2/authorize without following redirects. */
export async function authorize(portal: TestPortal, params: Record<string, string | number | undefined>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const res = await portal.fetch(`/sharing/rest/oauth2/authorize?${q}`, { redirect: 'manual' });
  const body = await res.text();
  const oauthState = /name="oauth_state" value="([^"]+)"/.exec(body)?.[1];
  return {
    status: res.status,
    location: res.headers.get('location'),
    body,
    oauthState,
    headers: res.headers,
  };
}

/** Submits the sign-in page as the browser does (form POST from the portal's own origin). */
export async function signIn(
  portal: TestPortal,
  oauthState: string,
  fields: { username?: string; password?: string; cancel?: string },
) {
  const res = await portal.fetch('/sharing/rest/oauth2/signin', {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: portal.url },
    body: new URLSearchParams({ oauth_state: oauthState, ...fields }).toString(),
  });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

/** POST oauth2/token. */
// biome-ignore lint/suspicious/noExplicitAny: token answers and errors, checked field by field.
export async function token(portal: TestPortal, fields: Record<string, string>): Promise<any> {
  const res = await portal.fetch('/sharing/rest/oauth2/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ f: 'json', ...fields }).toString(),
  });
  return res.json();
}

/** Signs in through authorize + the sign-in page; answers where the browser was sent. */
export async function signInThrough(
  portal: TestPortal,
  params: Record<string, string | number | undefined>,
  username: string,
  password: string,
): Promise<URL> {
  const page = await authorize(portal, params);
  assert.equal(page.status, 200, page.body);
  assert.ok(page.oauthState, 'the sign-in page carries its oauth_state');
  const done = await signIn(portal, page.oauthState, { username, password });
  assert.equal(done.status, 303, done.body);
  return new URL(done.location!, portal.url);
}

/** The web UI's redirect URI (the portal client's, always registered). */
export const webCallback = (portal: TestPortal) => `${portal.kernel.baseUrl()}/home/oauth-callback`;

/** POST oauth2/session, as the web UI sends it (same origin unless `headers` say otherwise). */
export async function exchangeForSession(
  portal: TestPortal,
  fields: Record<string, string>,
  headers: Record<string, string> = { origin: portal.url, 'sec-fetch-site': 'same-origin' },
) {
  const res = await portal.fetch('/sharing/rest/oauth2/session', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ f: 'json', ...fields }).toString(),
  });
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = /meridian_session=([^;]+)/.exec(setCookie)?.[1];
  // biome-ignore lint/suspicious/noExplicitAny: the session answer or an error, checked by the tests.
  const body = (await res.json()) as any;
  return { body, setCookie, cookie: cookie ? `meridian_session=${cookie}` : undefined };
}

/**
 * Signs in to the web UI as the browser does: oauth2/authorize (arcgisonline, PKCE), the
 * sign-in page, then oauth2/session. Answers the cookie header to send and the CSRF token.
 */
export async function webSignIn(
  portal: TestPortal,
  username = 'admin',
  password = ADMIN_PASSWORD,
  headers?: Record<string, string>,
) {
  const { verifier, challenge } = pkcePair();
  const back = await signInThrough(
    portal,
    {
      client_id: 'arcgisonline',
      response_type: 'code',
      redirect_uri: webCallback(portal),
      state: 'web-ui',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    },
    username,
    password,
  );
  const code = back.searchParams.get('code');
  assert.ok(code, `a code: ${back}`);
  const s = await exchangeForSession(
    portal,
    { code, code_verifier: verifier, redirect_uri: webCallback(portal) },
    headers,
  );
  return { ...s, csrf: s.body.csrfToken as string };
}
