import { createHmac, timingSafeEqual } from 'node:crypto';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { ServerCredentialInvalid } from './errors.ts';

/** How far a credential's time may be from the portal's clock, either way. */
export const CREDENTIAL_SKEW_MS = 5 * 60_000;

export const CREDENTIAL_HEADER = 'x-meridian-server';

function mac(secret: Buffer, serverId: string, iat: number, method: string, path: string): Buffer {
  return createHmac('sha256', secret).update(`${serverId}.${iat}.${method.toUpperCase()} ${path}`).digest();
}

/**
 * A federated server's credential for one call to the portal (protocol 5), minted per call:
 * `<serverId>.<iat ms>.<base64url(HMAC-SHA256(secret, "<serverId>.<iat>.<METHOD> <path>"))>`.
 * The server mints it; the portal's tests use this to play the server.
 */
export function mintServerCredential(
  secret: Buffer,
  serverId: string,
  method: string,
  path: string,
  now = Date.now(),
): string {
  return `${serverId}.${now}.${mac(secret, serverId, now, method, path).toString('base64url')}`;
}

/**
 * Checks a call's credential: for the server the path names, signed with its secret over this
 * method and path, within ±5 minutes. Throws servers.credential_invalid (never says which part failed).
 */
export function verifyServerCredential(
  header: string | undefined,
  expect: { serverId: string; method: string; path: string; secret: Buffer | undefined; now: number },
): void {
  const refuse: (why: string) => never = (why) => {
    throw new MeridianError(
      ServerCredentialInvalid,
      `The server credential (X-Meridian-Server) is not valid. ${ServerCredentialInvalid.fix}`,
      {
        detail: why,
      },
    );
  };
  if (!header || header.length > 512) refuse('missing or too long');
  const [serverId, iatText, sig, extra] = header.split('.');
  if (!serverId || !iatText || !sig || extra !== undefined) refuse('malformed');
  if (serverId !== expect.serverId) refuse('another server');
  if (!expect.secret) refuse('no such server');
  const iat = Number(iatText);
  if (!/^\d{1,16}$/.test(iatText) || Math.abs(expect.now - iat) > CREDENTIAL_SKEW_MS) refuse('time');
  const want = mac(expect.secret, serverId, iat, expect.method, expect.path);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== want.length || !timingSafeEqual(given, want)) refuse('signature');
}
