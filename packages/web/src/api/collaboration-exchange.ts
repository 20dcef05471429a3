/**
 * The trust exchange of a collaboration: the host's invitations (each a signed file), the
 * guest's acceptance and response file, the host's import of it; participants, removing one and
 * leaving. An untrusted partner certificate comes back as `UntrustedPartner` to confirm.
 */

import type { InvitationJson } from '@meridian/server/collaboration/schemas.ts';
import type { Static } from '@sinclair/typebox';
import { type DownloadedFile, request, requestFile } from './client.ts';
import { COLLABORATIONS, collaborationPath, type Participant } from './collaborations.ts';
import { ApiError } from './errors.ts';
import type { PageEnvelope } from './paging.ts';

const enc = encodeURIComponent;

export type Invitation = Static<typeof InvitationJson>;
export type InvitationPage = PageEnvelope & { collaborationInvitations: Invitation[] };

export interface NewInvitation {
  guestPortalUrl: string;
  /** Workspace id → access mode. */
  accessModes: Record<string, string>;
  /** Hours the invitation is valid. */
  expiration: number;
}

/** Invites a portal: the signed file collaboration-<guest host>.invite. */
export function inviteParticipant(
  collaborationId: string,
  invitation: NewInvitation,
): Promise<DownloadedFile> {
  const modes = Object.entries(invitation.accessModes).map(([id, mode]) => ({ [id]: mode }));
  return requestFile(collaborationPath(collaborationId, 'inviteParticipant'), 'collaboration.invite', {
    method: 'POST',
    form: {
      guestPortalUrl: invitation.guestPortalUrl,
      collaborationWorkspacesParticipantConfigJSON: JSON.stringify(modes),
      expiration: invitation.expiration,
    },
  });
}

export function listInvitations(collaborationId: string, start = 1, num = 100): Promise<InvitationPage> {
  return request<InvitationPage>(collaborationPath(collaborationId, 'invitations'), {
    query: { start, num },
  });
}

export function invalidateInvitation(collaborationId: string, invitationId: string) {
  return request<{ success: boolean }>(
    collaborationPath(collaborationId, `invitations/${enc(invitationId)}/invalidate`),
    { method: 'POST', form: {} },
  );
}

/** 72 more hours and a new file; the one made before no longer works. */
export function refreshInvitation(collaborationId: string, invitationId: string): Promise<DownloadedFile> {
  return requestFile(
    collaborationPath(collaborationId, `invitations/${enc(invitationId)}/refresh`),
    'collaboration.invite',
    { method: 'POST', form: {} },
  );
}

export interface GuestContact {
  guestContactFirstname: string;
  guestContactLastname: string;
  guestContactEmailAddress: string;
}

/** What validating or accepting an invitation answers. */
export interface AcceptedInvitation {
  collaborationId: string;
  collaborationName: string;
  hostPortalUrl: string;
  hostPortalId: string;
  invitationId: string;
  workspaces: { id: string; name: string; accessMode: string }[];
}

/**
 * validateCollaborationInvitation (`check`) or acceptCollaborationInvitation with the invitation
 * file; `trustPresentedCertificate` is the host fingerprint the administrator confirmed.
 */
export function acceptInvitation(
  file: File,
  contact: GuestContact,
  opts: { check: boolean; trustPresentedCertificate?: string },
): Promise<AcceptedInvitation> {
  const name = opts.check ? 'validateCollaborationInvitation' : 'acceptCollaborationInvitation';
  return request<AcceptedInvitation>(`${COLLABORATIONS}/${name}`, {
    method: 'POST',
    form: { ...contact, trustPresentedCertificate: opts.trustPresentedCertificate || undefined },
    files: { invitationFile: file },
  });
}

/** The guest's signed response file (collaboration-response-<guest host>.invite-response). */
export function exportInvitationResponse(collaborationId: string): Promise<DownloadedFile> {
  return requestFile(
    collaborationPath(collaborationId, 'exportInvitationResponse'),
    'collaboration.invite-response',
    { method: 'POST', form: {} },
  );
}

/** validateInvitationResponse (`check`) or importInvitationResponse on the host: answers the new participant's id. */
export async function importInvitationResponse(
  collaborationId: string,
  file: File,
  opts: { check: boolean; trustPresentedCertificate?: string },
): Promise<string> {
  const name = opts.check ? 'validateInvitationResponse' : 'importInvitationResponse';
  const a = await request<{ participantId: string }>(collaborationPath(collaborationId, name), {
    method: 'POST',
    form: { trustPresentedCertificate: opts.trustPresentedCertificate || undefined },
    files: { invitationResponseFile: file },
  });
  return a.participantId;
}

/** Every participant (the list is paged: its pages are read until nextStart is -1). */
export async function listParticipants(collaborationId: string): Promise<Participant[]> {
  const all: Participant[] = [];
  for (let start = 1; start > 0; ) {
    const a = await request<{ participants?: Participant[]; nextStart?: number }>(
      collaborationPath(collaborationId, 'participants'),
      { query: { start, num: 100 } },
    );
    all.push(...(a.participants ?? []));
    const next = a.nextStart ?? -1;
    start = next > start ? next : -1;
  }
  return all;
}

/** What ending a partnership answers: whether the partner portal was told, and why not. */
export interface Revoked {
  partnerTold: boolean;
  message?: string;
}

/** "<partner> was told." or why it was not. */
export function toldText(r: Revoked, partner: string): string {
  if (r.partnerTold) return `${partner} was told.`;
  return `${partner} could not be told${r.message ? `: ${r.message}` : '.'}`;
}

/** The host removes a participant (told with a signed call). */
export function removeParticipant(collaborationId: string, participantId: string): Promise<Revoked> {
  return request<Revoked>(collaborationPath(collaborationId, `participants/${enc(participantId)}/remove`), {
    method: 'POST',
    form: {},
  });
}

/** A guest leaves the collaboration (the host is told with a signed call). */
export function leaveCollaboration(collaborationId: string): Promise<Revoked> {
  return request<Revoked>(collaborationPath(collaborationId, 'removeParticipation'), {
    method: 'POST',
    form: {},
  });
}

/** One certificate of the chain the partner presented. */
export interface PartnerCertificate {
  subject: string;
  issuer: string;
  sha256Fingerprint: string;
  isCA: boolean;
}

/** The partner's certificate is not trusted: the message (the seed's words and the diagnosis) and what to confirm. */
export interface UntrustedPartner {
  message: string;
  missingIssuer?: string;
  presentedChain: PartnerCertificate[];
  /** The fingerprint the partner signed into its file. */
  fingerprintToConfirm: string;
}

function isPartnerCertificate(value: unknown): value is PartnerCertificate {
  if (!value || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  return typeof c.subject === 'string' && typeof c.sha256Fingerprint === 'string';
}

/**
 * The untrusted-certificate answer (collaboration.untrusted_certificate, with the chain and the
 * signed fingerprint in the error's fields), or null for any other error.
 */
export function untrustedPartnerOf(err: unknown): UntrustedPartner | null {
  if (!(err instanceof ApiError) || err.errorCode !== 'collaboration.untrusted_certificate') return null;
  const fingerprint = err.data.fingerprintToConfirm;
  if (typeof fingerprint !== 'string' || !fingerprint) return null;
  const chain = Array.isArray(err.data.presentedChain) ? err.data.presentedChain : [];
  return {
    message: err.message,
    ...(typeof err.data.missingIssuer === 'string' ? { missingIssuer: err.data.missingIssuer } : {}),
    presentedChain: chain.filter(isPartnerCertificate).map((c) => ({ ...c, isCA: c.isCA === true })),
    fingerprintToConfirm: fingerprint,
  };
}
