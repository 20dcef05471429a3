/**
 * The invitation response file: the guest's signed answer to an invitation, carrying its URL
 * and id, the chain it serves and the fingerprint to trust, and its collaboration public key.
 * The host verifies it with the key it reads from the guest over TLS (import-response.ts).
 */
import { checkParty, malformed, type PartyDescription } from './invitation-document.ts';

export const RESPONSE_TYPE = 'meridian.collaboration.invitation-response' as const;

export interface ResponseDocument {
  type: typeof RESPONSE_TYPE;
  version: 1;
  invitationId: string;
  collaborationId: string;
  hostPortalId: string;
  guest: PartyDescription & { publicKey: string };
  created: number;
  signature: string;
}

export function parseResponse(text: string): ResponseDocument {
  const what = 'invitation response';
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw malformed(what, 'it is not JSON');
  }
  if (!v || typeof v !== 'object' || v.type !== RESPONSE_TYPE || v.version !== 1)
    throw malformed(what, `its type is not ${RESPONSE_TYPE} version 1`);
  for (const k of ['invitationId', 'collaborationId', 'hostPortalId', 'signature'])
    if (typeof v[k] !== 'string' || !v[k]) throw malformed(what, `${k} is missing`);
  const guest = checkParty(what, v.guest, 'guest') as PartyDescription & { publicKey?: unknown };
  if (typeof guest.publicKey !== 'string' || !guest.publicKey)
    throw malformed(what, 'guest.publicKey is missing');
  return v as unknown as ResponseDocument;
}

/** The file name of a response: collaboration-response-<guest host>.invite-response. */
export const responseFileName = (guestUrl: string) =>
  `collaboration-response-${new URL(guestUrl).hostname.replace(/[^A-Za-z0-9.-]/g, '-')}.invite-response`;
