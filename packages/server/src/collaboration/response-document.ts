/**
 * The invitation response file: the guest's signed answer to an invitation, carrying its URL
 * and id, the chain it serves and the fingerprint to trust, and its collaboration public key.
 * The host verifies it with the key it reads from the guest over TLS (import-response.ts).
 */
import { checkParty, malformed, type PartyDescription } from './invitation-document.ts';

export const RESPONSE_TYPE = 'meridian.collaboration.invitation-response' as const;

/** A group the guest linked to a workspace before it exported the response. */
export interface LinkedGroup {
  workspaceId: string;
  groupId: string;
  title: string;
}

export interface ResponseDocument {
  type: typeof RESPONSE_TYPE;
  version: 1;
  invitationId: string;
  collaborationId: string;
  hostPortalId: string;
  guest: PartyDescription & { publicKey: string };
  /** The guest's groups linked to workspaces when it exported (absent in older responses). */
  linkedGroups?: LinkedGroup[];
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
  checkLinkedGroups(what, v.linkedGroups);
  return v as unknown as ResponseDocument;
}

function checkLinkedGroups(what: string, v: unknown): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length > 1000) throw malformed(what, 'linkedGroups is not a list');
  for (const g of v as Record<string, unknown>[]) {
    const ok =
      g &&
      typeof g === 'object' &&
      typeof g.workspaceId === 'string' &&
      g.workspaceId.length > 0 &&
      g.workspaceId.length <= 64 &&
      typeof g.groupId === 'string' &&
      g.groupId.length > 0 &&
      g.groupId.length <= 64 &&
      typeof g.title === 'string' &&
      g.title.length <= 1000;
    if (!ok) throw malformed(what, 'an entry of linkedGroups is not {workspaceId, groupId, title}');
  }
}

/** The file name of a response: collaboration-response-<guest host>.invite-response. */
export const responseFileName = (guestUrl: string) =>
  `collaboration-response-${new URL(guestUrl).hostname.replace(/[^A-Za-z0-9.-]/g, '-')}.invite-response`;
