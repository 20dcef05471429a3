/**
 * The host's import of a guest's invitation response, as named steps (pipeline
 * collaboration.import_response; validateInvitationResponse runs all but the last): the file
 * read, for this collaboration and an invitation this guest accepted; the guest reached through
 * the trust store (untrusted: the same message, diagnosis and signed fingerprint as on the
 * guest, and trustPresentedCertificate); the guest's key read over TLS is the one the file
 * carries and verifies it; the guest stored as a participant and the invitation completed.
 */
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { definePipeline, type Step, step } from '../kernel/pipeline/pipeline.ts';
import { hostedCollaboration } from './collaborations.ts';
import type { CollaborationContext } from './context.ts';
import { InvitationInvalidated, InvitationTampered, InvitationUsed, InvitationWrongGuest } from './errors.ts';
import { invalid } from './input.ts';
import { getInvitationRow, type InvitationRow, updateInvitationRow } from './invitation-store.ts';
import { putParticipantRow } from './participant-store.ts';
import { forgetTrust, type Reached, reachPartner } from './reach-partner.ts';
import { parseResponse, type ResponseDocument } from './response-document.ts';
import { sameOrigin } from './self-party.ts';
import { verifyDocument } from './signed-document.ts';

interface Ctx {
  c: CollaborationContext;
  collaborationId: string;
  text: string;
  confirmed: string | undefined;
  doc?: ResponseDocument;
  invitation?: InvitationRow;
  reached?: Reached;
}

const read: Step<Ctx> = step('read_response', async (x) => {
  await hostedCollaboration(x.c, x.collaborationId);
  const doc = parseResponse(x.text);
  if (doc.collaborationId !== x.collaborationId || doc.hostPortalId !== (await x.c.orgId()))
    throw invalid(
      `This response is for collaboration ${doc.collaborationId.slice(0, 64)} of another host or path: import it where it was invited.`,
    );
  x.doc = doc;
  return `response of ${doc.guest.portalUrl} to invitation ${doc.invitationId}`;
});

const matchInvitation: Step<Ctx> = step('match_invitation', async (x) => {
  const doc = x.doc!;
  const inv = await getInvitationRow(x.c.kernel.db.kysely, x.collaborationId, doc.invitationId);
  if (inv.state === 'invalidated')
    throw new MeridianError(
      InvitationInvalidated,
      `Invitation ${inv.id} was invalidated. ${InvitationInvalidated.fix}`,
    );
  if (inv.state === 'completed')
    throw new MeridianError(InvitationUsed, `The response to invitation ${inv.id} was imported already.`);
  if (inv.state !== 'accepted')
    throw invalid(
      `Invitation ${inv.id} has not been accepted: the guest accepts it before it exports its response.`,
    );
  if (inv.guest_portal_id !== doc.guest.portalId || !sameOrigin(inv.guest_url, doc.guest.portalUrl))
    throw new MeridianError(
      InvitationWrongGuest,
      `This response comes from ${doc.guest.portalUrl.slice(0, 200)}, not from the portal that accepted invitation ${inv.id} (${inv.guest_url}). ${InvitationWrongGuest.fix}`,
    );
  x.invitation = inv;
  return inv.id;
});

const reachGuest: Step<Ctx> = step('reach_guest', async (x) => {
  x.reached = await reachPartner(x.c, {
    url: new URL(x.doc!.guest.portalUrl).origin,
    fingerprint: x.doc!.guest.fingerprint,
    confirmed: x.confirmed,
    before: 'the invitation response can be imported',
  });
  return x.reached.trustAlias ? `trusted, added ${x.reached.trustAlias}` : 'trusted';
});

const verifySignature: Step<Ctx> = step('verify_signature', (x) => {
  const key = x.reached!.key;
  const doc = x.doc!;
  if (
    key.portalId !== doc.guest.portalId ||
    key.publicKey !== doc.guest.publicKey ||
    !verifyDocument(doc as unknown as Record<string, unknown>, key.publicKey)
  )
    throw new MeridianError(
      InvitationTampered,
      `The invitation response does not verify with the collaboration key ${doc.guest.portalUrl} serves: it was changed after the guest signed it, or it was not made by that portal. ${InvitationTampered.fix}`,
    );
  return `signed by ${key.portalId}`;
});

const storeParticipant: Step<Ctx> = step('store_participant', async (x) => {
  const doc = x.doc!;
  const inv = x.invitation!;
  const now = x.c.kernel.clock.now();
  await x.c.kernel.db.kysely.transaction().execute(async (trx) => {
    await putParticipantRow(trx, {
      collaboration_id: x.collaborationId,
      portal_id: doc.guest.portalId,
      role: 'guest',
      url: new URL(doc.guest.portalUrl).origin,
      name: doc.guest.name.slice(0, 400),
      public_key: doc.guest.publicKey,
      cert_fingerprint: doc.guest.fingerprint,
      trust_alias: x.reached!.trustAlias ?? null,
      access: inv.access,
      contact: JSON.stringify(doc.guest.contact),
      state: 'active',
      invitation_id: inv.id,
      linked_groups: JSON.stringify(linkedGroupsIn(doc, inv)),
      created: now,
      modified: now,
    });
    await updateInvitationRow(trx, inv.id, { state: 'completed', modified: now });
  });
  return `participant ${doc.guest.portalId}`;
});

/** The groups the guest linked, in workspaces its invitation gave it: {"<workspace id>": {groupId, title}}. */
function linkedGroupsIn(doc: ResponseDocument, inv: InvitationRow) {
  const access = JSON.parse(inv.access) as Record<string, string>;
  const out: Record<string, { groupId: string; title: string }> = {};
  for (const g of doc.linkedGroups ?? [])
    if (Object.hasOwn(access, g.workspaceId))
      out[g.workspaceId] = { groupId: g.groupId, title: g.title.slice(0, 250) };
  return out;
}

const IMPORT = definePipeline<Ctx>('collaboration.import_response', [
  read,
  matchInvitation,
  reachGuest,
  verifySignature,
  storeParticipant,
]);
const VALIDATE = definePipeline<Ctx>('collaboration.validate_response', [
  read,
  matchInvitation,
  reachGuest,
  verifySignature,
]);

/** importInvitationResponse (check false) or validateInvitationResponse (check true). */
export async function importResponse(
  c: CollaborationContext,
  collaborationId: string,
  text: string,
  confirmed: string | undefined,
  check: boolean,
): Promise<ResponseDocument> {
  const x: Ctx = { c, collaborationId, text, confirmed };
  const run = await c.kernel.pipelines.run(
    check ? VALIDATE : IMPORT,
    x,
    (s) => s.doc?.invitationId ?? collaborationId,
  );
  if (run.outcome === 'failed') {
    await forgetTrust(c, x.reached?.trustAlias);
    throw run.error;
  }
  return x.doc!;
}
