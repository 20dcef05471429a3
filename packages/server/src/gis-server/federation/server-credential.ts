import { createHmac } from 'node:crypto';
import type { Federation } from './federation-store.ts';

/** The header that authenticates this server's calls to its portal (protocol step 5). */
export const SERVER_CREDENTIAL_HEADER = 'X-Meridian-Server';

/**
 * A credential for one call, minted at the moment of the call (so that no long operation ever
 * holds an expired one): `<serverId>.<iat ms>.<base64url(HMAC-SHA256(secret,
 * "<serverId>.<iat>.<METHOD> <path>"))>`, path being the URL's path without its query.
 */
export function mintServerCredential(
  f: Pick<Federation, 'serverId' | 'secret'>,
  method: string,
  path: string,
  now: number,
): string {
  const iat = String(Math.floor(now));
  const mac = createHmac('sha256', f.secret)
    .update(`${f.serverId}.${iat}.${method.toUpperCase()} ${path}`)
    .digest('base64url');
  return `${f.serverId}.${iat}.${mac}`;
}
