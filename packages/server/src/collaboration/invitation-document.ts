/**
 * The invitation file: a JSON document the host signs (signed-document.ts) carrying its URL and
 * id, the certificate chain it serves and the fingerprint of the certificate to trust, the
 * collaboration, the workspaces with the guest's access modes, the guest URL it is addressed
 * to, its expiry and a one-time secret. Parsing checks its shape only; the signature is checked
 * with the key fetched from the host over TLS (accept.ts).
 */
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { InvitationTampered } from './errors.ts';
import { ACCESS_MODES, type AccessMode } from './schemas.ts';

export const INVITATION_TYPE = 'meridian.collaboration.invitation' as const;

export interface PartyDescription {
  portalId: string;
  portalUrl: string;
  name: string;
  /** PEMs, leaf first, as the portal serves them. */
  certificateChain: string[];
  /** SHA-256 of the certificate a partner trusts for it: its CA when it has one, else its own. */
  fingerprint: string;
  contact: { firstname: string; lastname: string; email: string };
}

export interface InvitationDocument {
  type: typeof INVITATION_TYPE;
  version: 1;
  invitationId: string;
  host: PartyDescription;
  collaboration: { id: string; name: string; description: string };
  workspaces: { id: string; name: string; description: string; accessMode: AccessMode }[];
  guestPortalUrl: string;
  expires: number;
  secret: string;
  signature: string;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

export function malformed(what: string, why: string): MeridianError {
  return new MeridianError(
    InvitationTampered,
    `The ${what} is not a Meridian ${what} file: ${why}. ${InvitationTampered.fix}`,
  );
}

/** A party (host or guest) as a signed file describes it; throws naming the first bad field. */
export function checkParty(what: string, v: unknown, field: string): PartyDescription {
  if (!isObject(v)) throw malformed(what, `${field} is missing`);
  for (const k of ['portalId', 'portalUrl', 'name', 'fingerprint'])
    if (!isString(v[k]) || !v[k]) throw malformed(what, `${field}.${k} is missing`);
  if (!Array.isArray(v.certificateChain) || !v.certificateChain.every(isString))
    throw malformed(what, `${field}.certificateChain is not a list of certificates`);
  if (!isObject(v.contact)) throw malformed(what, `${field}.contact is missing`);
  let url: URL;
  try {
    url = new URL(v.portalUrl as string);
  } catch {
    throw malformed(what, `${field}.portalUrl is not a URL`);
  }
  if (url.protocol !== 'https:') throw malformed(what, `${field}.portalUrl is not an https URL`);
  return v as unknown as PartyDescription;
}

/** The invitation from its text; collaboration.invitation_tampered naming what is wrong when it is not one. */
export function parseInvitation(text: string): InvitationDocument {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw malformed('invitation', 'it is not JSON');
  }
  if (!isObject(v) || v.type !== INVITATION_TYPE || v.version !== 1)
    throw malformed('invitation', `its type is not ${INVITATION_TYPE} version 1`);
  for (const k of ['invitationId', 'guestPortalUrl', 'secret', 'signature'])
    if (!isString(v[k]) || !v[k]) throw malformed('invitation', `${k} is missing`);
  if (typeof v.expires !== 'number') throw malformed('invitation', 'expires is missing');
  checkParty('invitation', v.host, 'host');
  const c = v.collaboration;
  if (!isObject(c) || !isString(c.id) || !isString(c.name))
    throw malformed('invitation', 'collaboration is missing');
  if (
    !Array.isArray(v.workspaces) ||
    !v.workspaces.length ||
    !v.workspaces.every(
      (w) =>
        isObject(w) &&
        isString(w.id) &&
        isString(w.name) &&
        ACCESS_MODES.includes(w.accessMode as AccessMode),
    )
  )
    throw malformed('invitation', 'workspaces is not a list of workspaces with access modes');
  return v as unknown as InvitationDocument;
}
