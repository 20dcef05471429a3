import type { TokenBinding } from './token-format.ts';
import { signToken } from './token-format.ts';

/**
 * A server token: what a portal issues for a GIS server federated with it, verified by that
 * server alone (no call to the portal). Same format as the portal's own tokens
 * (v1.<kid>.<payload>.<sig>), with kid `fs<server record id>` and the HMAC keyed by the secret
 * the portal and that server share.
 */
export interface ServerTokenPayload {
  uid: string;
  sub: string;
  ep: number;
  iat: number;
  exp: number;
  kind: 'server';
  bind: TokenBinding;
  /** The server's URL (https://host:port/context, host lower-cased): a token for one server fails at another. */
  aud: string;
  /** admin: administers the server; publisher and admin may publish. */
  role: 'admin' | 'publisher' | 'user';
  /** The portal's id. */
  orgId: string;
}

/** The key id of a federated server's tokens. */
export const serverKid = (serverRecordId: string) => `fs${serverRecordId}`;

export function signServerToken(kid: string, key: Buffer, payload: ServerTokenPayload): string {
  return signToken(kid, key, payload);
}

/** What the portal's generateToken asks when it is given serverUrl (the servers module answers). */
export type ServerTokenIssuer = (
  caller: { userId: string; username: string; role: string },
  serverUrl: string,
  expires: number,
) => Promise<{ token: string; expires: number }>;
