import { defineError } from '../kernel/errors/meridian-error.ts';

/**
 * Why a collaboration request failed: administration (bad input, unknown ids), the invitation
 * (tampered, expired, used, invalidated, addressed to another portal), trust between the two
 * portals, and partners' signed calls. Each names the cause and the fix.
 */
export const CollaborationInvalidInput = defineError({
  code: 'collaboration.invalid_input',
  status: 400,
  summary: 'A parameter of a collaboration request is missing, too long or malformed.',
  fix: 'Correct the parameter the message names and send the request again.',
});

export const CollaborationNotFound = defineError({
  code: 'collaboration.not_found',
  status: 404,
  arcgisCode: 400,
  summary: 'There is no such collaboration, workspace, invitation or participant on this portal.',
  fix: 'List the collaborations (portals/self/collaborations) and their workspaces, invitations and participants for the ids in use.',
});

export const CollaborationGroupNotFound = defineError({
  code: 'collaboration.group_not_found',
  status: 400,
  summary: 'The portalGroupId names no group of this portal.',
  fix: 'Give the id of an existing group of this organisation (community/groups), or create the group first.',
});

export const CollaborationNotHost = defineError({
  code: 'collaboration.not_host',
  status: 403,
  summary:
    'Only the portal that hosts a collaboration may change its workspaces, invite participants or import their responses.',
  fix: "Do this on the host portal (the collaboration's hostPortalUrl).",
});

export const CollaborationNotGuest = defineError({
  code: 'collaboration.not_guest',
  status: 403,
  summary: 'Only a guest of a collaboration exports an invitation response or leaves it.',
  fix: 'Do this on the guest portal; the host removes a participant with participants/<id>/remove instead.',
});

export const InvitationTampered = defineError({
  code: 'collaboration.invitation_tampered',
  status: 400,
  summary:
    'The invitation (or response) file is not what the inviting portal signed: its signature does not verify with the key that portal serves, or the file is malformed.',
  fix: 'Ask the inviting portal’s administrator for a new invitation file and send it unchanged (as a file, not retyped).',
});

export const InvitationExpired = defineError({
  code: 'collaboration.invitation_expired',
  status: 400,
  summary: 'The invitation has expired.',
  fix: 'Ask the host portal’s administrator to refresh the invitation (invitations/<id>/refresh gives a new file valid for 72 more hours).',
});

export const InvitationUsed = defineError({
  code: 'collaboration.invitation_used',
  status: 409,
  arcgisCode: 400,
  summary: 'The invitation has been accepted already: an invitation is single-use.',
  fix: 'If this portal accepted it, export the invitation response (collaborations/<id>/exportInvitationResponse); otherwise ask the host for a new invitation.',
});

export const InvitationInvalidated = defineError({
  code: 'collaboration.invitation_invalidated',
  status: 400,
  summary: 'The invitation was invalidated by the host (or replaced by a refreshed one).',
  fix: 'Ask the host portal’s administrator for the current invitation file.',
});

export const InvitationWrongGuest = defineError({
  code: 'collaboration.invitation_wrong_guest',
  status: 400,
  summary: 'The invitation is addressed to another portal: its guestPortalUrl is not this portal’s URL.',
  fix: 'Accept it on the portal it names, or ask the host for an invitation addressed to this portal’s URL.',
});

export const CollaborationUntrustedPartner = defineError({
  code: 'collaboration.untrusted_certificate',
  status: 400,
  summary:
    'Failed to validate the SSL certificate of the partner portal: the certificate authority that issued it is not trusted by this portal.',
  fix: 'Compare the fingerprint shown (fingerprintToConfirm, carried by the signed file) with the partner’s administrator, then send the request again with trustPresentedCertificate=<that fingerprint>. No restart is needed.',
});

export const CollaborationFingerprintMismatch = defineError({
  code: 'collaboration.fingerprint_mismatch',
  status: 400,
  summary:
    'trustPresentedCertificate is not the fingerprint the signed invitation (or response) gives, or no certificate the partner presents has it: nothing was trusted.',
  fix: 'Send trustPresentedCertificate equal to fingerprintToConfirm from the previous answer; if the partner presents another certificate, ask its administrator why.',
});

export const CollaborationPartnerUnreachable = defineError({
  code: 'collaboration.partner_unreachable',
  status: 502,
  summary: 'The partner portal could not be reached, or did not answer as a Meridian portal.',
  fix: 'Check that the partner’s URL opens from this portal’s machine, that the partner runs, and that outbound.allowPrivate / allowLoopback permit its address.',
});

export const CollaborationPartnerRefused = defineError({
  code: 'collaboration.partner_refused',
  status: 400,
  summary: 'The partner portal refused the request (its message follows).',
  fix: 'Read the partner’s message; its administrator can see the collaboration on their side.',
});

export const PartnerUnauthenticated = defineError({
  code: 'collaboration.partner_unauthenticated',
  status: 401,
  arcgisCode: 498,
  summary:
    'A partner call is not signed, its signature does not verify, its time is more than 5 minutes off, or it was replayed.',
  fix: 'Check both portals’ clocks (NTP); a partner call is signed once and sent once.',
});

export const PartnerRevoked = defineError({
  code: 'collaboration.partner_revoked',
  status: 403,
  summary:
    'The partnership was revoked: the calling portal is no longer a participant of this collaboration.',
  fix: 'The host invites the portal again (inviteParticipant) if it should take part.',
});

export const CollaborationAccessDenied = defineError({
  code: 'collaboration.access_denied',
  status: 403,
  summary:
    "The participant's access mode in the workspace does not allow this: a receive-only participant cannot send items, a send-only one does not receive them.",
  fix: "The host changes the participant's access mode (participants/<id>/updateParticipantAccessModes) if it should.",
});

export const CollaborationNotSyncInitiator = defineError({
  code: 'collaboration.not_sync_initiator',
  status: 403,
  summary: "Only the guest initiates a workspace's sync (the host never calls its guests).",
  fix: 'Run sync, schedules and syncStatus on the guest portal of the collaboration.',
});

export const CollaborationGroupNotLinked = defineError({
  code: 'collaboration.group_not_linked',
  status: 400,
  summary:
    'The workspace has no group of this portal linked: there is nothing to send and nowhere to receive into.',
  fix: 'Link a group to the workspace first (workspaces/<id>/updatePortalGroupLink with portalGroupId).',
});

export const CollaborationSyncItemChanged = defineError({
  code: 'collaboration.sync_item_changed',
  status: 409,
  arcgisCode: 400,
  summary: "An item's data changed (or it was unshared) while it was being transferred.",
  fix: 'Nothing to do: the change is in the change feed and the next sync takes the new version.',
});

export const CollaborationDataMismatch = defineError({
  code: 'collaboration.data_checksum_mismatch',
  status: 400,
  summary: "A transferred data file's SHA-256 is not the one its sender announced: it was discarded.",
  fix: 'Sync again; the transfer restarts from the beginning. If it persists, check the network path between the portals.',
});

export const CollaborationDataNotReady = defineError({
  code: 'collaboration.data_not_ready',
  status: 503,
  arcgisCode: 400,
  summary:
    "The sender was still exporting a feature service's features when this sync ended waiting for them: the item did not arrive in this sync.",
  fix: 'Nothing to do: the export goes on on the sending portal and the next sync takes the item. If it recurs, check that the federated server answers queries of the service.',
});

export const CollaborationSyncFailed = defineError({
  code: 'collaboration.sync_failed',
  status: 502,
  summary: 'A sync failed; its history holds each error with its diagnosis.',
  fix: 'Read the errors in syncStatus (partner unreachable, certificate not trusted, partnership revoked) and correct the cause, then sync again.',
});

export const CollaborationPartnerKeyChanged = defineError({
  code: 'collaboration.partner_key_changed',
  status: 409,
  summary:
    "The portal at the partner's URL answers with another portal id or collaboration key than the partnership's: it is not the partner (or the partner was reinstalled).",
  fix: 'Nothing was trusted. Ask the partner’s administrator; a reinstalled partner is invited again (inviteParticipant).',
});

export const CollaborationWebauthNotNeeded = defineError({
  code: 'collaboration.webauth_not_needed',
  status: 400,
  summary:
    'A web-tier authentication parameter (hostWebauth* or guestWebauth*) was given a value: Meridian never sends a person’s password or client certificate to a partner portal.',
  fix: 'Send the request again with the web-tier parameters left out or empty. The partner portals authenticate each other with the keys exchanged in the invitation; if a web tier in front of the partner asks for a login, let its administrator allow the collaboration paths (/sharing/rest/portals/…/collaborations/…) through.',
});

export const CollaborationLeaveFirst = defineError({
  code: 'collaboration.leave_first',
  status: 409,
  arcgisCode: 400,
  summary:
    'This portal is still an active guest of the collaboration: a guest deletes its record of a collaboration only after it left or was removed.',
  fix: 'Leave the collaboration first (collaborations/<id>/removeParticipation; the host is told), then delete it here (collaborations/<id>/delete).',
});
