/**
 * A token of a federated GIS server for the signed-in user: the portal's generateToken with
 * `serverUrl` (the session cookie and CSRF header say who asks; no password).
 */
import { request } from './client.ts';

export interface ServerToken {
  token: string;
  /** Epoch milliseconds. */
  expires: number;
}

/** Minutes the UI asks for; the portal clamps it to its maximum. */
const LIFETIME_MINUTES = 60;

/** What precedes `/rest/services` in a service URL: the server root clients ask tokens for. */
export function serverRootOf(serviceUrl: string): string | null {
  const i = serviceUrl.toLowerCase().indexOf('/rest/services');
  return i > 0 ? serviceUrl.slice(0, i) : null;
}

const cache = new Map<string, Promise<ServerToken>>();

/** A server token, reused until five minutes before it expires. */
export function getServerToken(serverRoot: string): Promise<ServerToken> {
  const key = serverRoot.toLowerCase();
  const cached = cache.get(key);
  if (cached) return cached.then((t) => (t.expires - Date.now() > 5 * 60_000 ? t : fresh(key, serverRoot)));
  return fresh(key, serverRoot);
}

function fresh(key: string, serverRoot: string): Promise<ServerToken> {
  const pending = request<ServerToken>('/sharing/rest/generateToken', {
    method: 'POST',
    form: { serverUrl: serverRoot, expiration: LIFETIME_MINUTES },
  });
  cache.set(key, pending);
  pending.catch(() => cache.delete(key));
  return pending;
}
