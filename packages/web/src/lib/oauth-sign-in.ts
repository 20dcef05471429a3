import { exchangeCode } from '../api/session.ts';
import type { Session } from '../api/types.ts';
import { BASE } from '../router/paths.ts';

/**
 * The web UI signs in as the portal's own OAuth client (arcgisonline): the authorization code
 * flow with PKCE. The verifier and a random state wait in sessionStorage (this tab only) while
 * the browser is on the portal's sign-in page; the callback page checks the state and exchanges
 * the code for the session cookie.
 */
export const CLIENT_ID = 'arcgisonline';
const PENDING = 'meridian.oauth.pending';

/** The redirect URI registered for arcgisonline: <portal>/home/oauth-callback. */
export function callbackUri(): string {
  return `${window.location.origin}${BASE}oauth-callback`;
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

interface Pending {
  state: string;
  verifier: string;
  /** Where to go once signed in: an address-bar path under /home/ (router/paths.ts safeNext). */
  next: string | null;
}

/** Leaves for the portal's sign-in page; comes back to the callback, then to `next`. */
export async function startSignIn(next: string | null): Promise<void> {
  const pending: Pending = { state: randomString(), verifier: randomString(), next };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const query = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: callbackUri(),
    state: pending.state,
    code_challenge: await s256(pending.verifier),
    code_challenge_method: 'S256',
  });
  // The UI's sign-in page gives way to the portal's: Back from the page signed in to skips it.
  window.location.replace(`/sharing/rest/oauth2/authorize?${query}`);
}

/** The portal's sign-out: ends this browser's session, then comes back to the callback. */
export function signOutUrl(): string {
  sessionStorage.removeItem(PENDING);
  const query = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: callbackUri() });
  return `/sharing/rest/oauth2/signout?${query}`;
}

/** A sign-in that cannot finish here; the callback page shows the message. */
export class SignInFailed extends Error {}

function takePending(): Pending | null {
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as Pending;
    return typeof p.state === 'string' && typeof p.verifier === 'string' ? p : null;
  } catch {
    return null;
  }
}

export type CallbackOutcome =
  | { kind: 'signed-in'; session: Session; next: string | null }
  | { kind: 'signed-out' };

/**
 * What the callback's query says: back from sign-out (nothing), or back from sign-in with a
 * code or an error. The state must be the one this tab sent; a missing or altered one is
 * refused (another site may be trying to sign this browser in as someone else).
 */
async function finish(params: URLSearchParams): Promise<CallbackOutcome> {
  if (!params.has('code') && !params.has('error') && !params.has('state')) return { kind: 'signed-out' };
  const pending = takePending();
  const state = params.get('state');
  if (!pending || !state || state !== pending.state)
    throw new SignInFailed(
      'This sign-in was not started in this browser tab, or its answer was altered (state does not match). Nothing was signed in; sign in again.',
    );
  const error = params.get('error');
  if (error === 'access_denied') throw new SignInFailed('Sign-in was cancelled.');
  if (error)
    throw new SignInFailed(params.get('error_description') || `The portal refused the sign-in (${error}).`);
  const code = params.get('code');
  if (!code) throw new SignInFailed('The portal sent no authorization code. Sign in again.');
  const session = await exchangeCode(code, pending.verifier, callbackUri());
  return { kind: 'signed-in', session, next: pending.next };
}

/** One exchange per callback address, however often React runs the effect that asks for it. */
const outcomes = new Map<string, Promise<CallbackOutcome>>();

export function finishSignIn(search: string): Promise<CallbackOutcome> {
  let outcome = outcomes.get(search);
  if (!outcome) {
    outcome = finish(new URLSearchParams(search));
    outcomes.set(search, outcome);
  }
  return outcome;
}
