/**
 * The guest's acceptance of an invitation, as named steps (pipeline
 * collaboration.accept_invitation; validateCollaborationInvitation runs the same checks with
 * the host asked only to check): the file read, addressed to this portal, not expired; the host
 * reached through the trust store (the seed's message with the diagnosis and the signed
 * fingerprint when it is not trusted; trustPresentedCertificate trusts exactly that
 * certificate); the host's key read over that TLS connection verifies the invitation; the host
 * takes the one-time secret; the collaboration, its workspaces and the host as a participant
 * are stored. A failure stores nothing and removes a trust entry the run added.
 */
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { definePipeline, type Step, step } from '../kernel/pipeline/pipeline.ts';
import { type CollaborationContext, selfUrl } from './context.ts';
import { InvitationExpired, InvitationTampered, InvitationWrongGuest } from './errors.ts';
import { checkEmail, checkText } from './input.ts';
import { type InvitationDocument, parseInvitation } from './invitation-document.ts';
import { putParticipantRow } from './participant-store.ts';
import { callPartner } from './partner-http.ts';
import { forgetTrust, type Reached, reachPartner } from './reach-partner.ts';
import { sameOrigin } from './self-party.ts';
import { verifyDocument } from './signed-document.ts';
import { insertCollaborationRow } from './store.ts';

export interface AcceptInput {
  text: string;
  guestContactFirstname?: string | undefined;
  guestContactLastname?: string | undefined;
  guestContactEmailAddress?: string | undefined;
  trustPresentedCertificate?: string | undefined;
}

interface Ctx {
  c: CollaborationContext;
  input: AcceptInput;
  by: string;
  /** validate only: the host checks, nothing is taken or stored. */
  check: boolean;
  doc?: InvitationDocument;
  reached?: Reached;
}

const read: Step<Ctx> = step('read_invitation', (x) => {
  x.doc = parseInvitation(x.input.text);
  return `invitation ${x.doc.invitationId} from ${x.doc.host.portalUrl}`;
});

const checkAddressee: Step<Ctx> = step('check_addressee', async (x) => {
  const own = selfUrl(x.c);
  if (!sameOrigin(x.doc!.guestPortalUrl, own))
    throw new MeridianError(
      InvitationWrongGuest,
      `This invitation is addressed to ${x.doc!.guestPortalUrl.slice(0, 200)}; this portal is ${own}. ${InvitationWrongGuest.fix}`,
    );
  if (x.doc!.host.portalId === (await x.c.orgId()) || sameOrigin(x.doc!.host.portalUrl, own))
    throw new MeridianError(
      InvitationWrongGuest,
      'This invitation was made by this portal: a portal does not join its own collaboration.',
    );
  return own;
});

const checkExpiry: Step<Ctx> = step('check_expiry', (x) => {
  if (x.doc!.expires <= x.c.kernel.clock.now())
    throw new MeridianError(
      InvitationExpired,
      `This invitation expired on ${new Date(x.doc!.expires).toISOString()}. ${InvitationExpired.fix}`,
    );
  return new Date(x.doc!.expires).toISOString();
});

const reachHost: Step<Ctx> = step('reach_host', async (x) => {
  x.reached = await reachPartner(x.c, {
    url: new URL(x.doc!.host.portalUrl).origin,
    fingerprint: x.doc!.host.fingerprint,
    confirmed: x.input.trustPresentedCertificate,
    before: 'the invitation can be accepted',
  });
  return x.reached.trustAlias ? `trusted, added ${x.reached.trustAlias}` : 'trusted';
});

const verifySignature: Step<Ctx> = step('verify_signature', (x) => {
  const key = x.reached!.key;
  const doc = x.doc!;
  if (
    key.portalId !== doc.host.portalId ||
    !verifyDocument(doc as unknown as Record<string, unknown>, key.publicKey)
  )
    throw new MeridianError(
      InvitationTampered,
      `The invitation does not verify with the collaboration key ${doc.host.portalUrl} serves: it was changed after the host signed it, or it was not made by that portal. ${InvitationTampered.fix}`,
    );
  return `signed by ${key.portalId}`;
});

const claimInvitation: Step<Ctx> = step('claim_invitation', async (x) => {
  const doc = x.doc!;
  await callPartner(
    x.c,
    `${new URL(doc.host.portalUrl).origin}/sharing/rest/portals/self/collaborationInvitationClaim`,
    {
      form: {
        invitationId: doc.invitationId,
        secret: doc.secret,
        guestPortalUrl: selfUrl(x.c),
        guestPortalId: await x.c.orgId(),
        check: String(x.check),
      },
    },
  );
  return x.check ? 'the host would accept it' : 'taken by the host';
});

const storeCollaboration: Step<Ctx> = step('store_collaboration', async (x) => {
  const doc = x.doc!;
  const k = x.c.kernel;
  const now = k.clock.now();
  const contact = {
    firstname: checkText('guestContactFirstname', x.input.guestContactFirstname, 100, false),
    lastname: checkText('guestContactLastname', x.input.guestContactLastname, 100, false),
    email: checkEmail('guestContactEmailAddress', x.input.guestContactEmailAddress),
  };
  const access = Object.fromEntries(doc.workspaces.map((w) => [w.id, w.accessMode]));
  await k.db.kysely.transaction().execute(async (trx) => {
    await insertCollaborationRow(trx, {
      id: doc.collaboration.id,
      name: doc.collaboration.name.slice(0, 400),
      description: doc.collaboration.description ?? '',
      role: 'guest',
      host_portal_id: doc.host.portalId,
      host_url: new URL(doc.host.portalUrl).origin,
      host_contact: JSON.stringify(doc.host.contact),
      own_contact: JSON.stringify(contact),
      config: '',
      created_by: x.by,
      created: now,
      modified: now,
    });
    for (const w of doc.workspaces)
      await trx
        .insertInto('collaboration_workspaces')
        .values({
          id: w.id,
          collaboration_id: doc.collaboration.id,
          name: w.name.slice(0, 400),
          description: w.description ?? '',
          portal_group_id: null,
          config: '',
          created: now,
          modified: now,
        })
        .execute();
    await putParticipantRow(trx, {
      collaboration_id: doc.collaboration.id,
      portal_id: doc.host.portalId,
      role: 'host',
      url: new URL(doc.host.portalUrl).origin,
      name: doc.host.name.slice(0, 400),
      public_key: x.reached!.key.publicKey,
      cert_fingerprint: doc.host.fingerprint,
      trust_alias: x.reached!.trustAlias ?? null,
      access: JSON.stringify(access),
      contact: JSON.stringify(doc.host.contact),
      state: 'active',
      invitation_id: doc.invitationId,
      created: now,
      modified: now,
    });
  });
  return `collaboration ${doc.collaboration.id}, ${doc.workspaces.length} workspace(s)`;
});

const ACCEPT = definePipeline<Ctx>('collaboration.accept_invitation', [
  read,
  checkAddressee,
  checkExpiry,
  reachHost,
  verifySignature,
  claimInvitation,
  storeCollaboration,
]);

const VALIDATE = definePipeline<Ctx>('collaboration.validate_invitation', [
  read,
  checkAddressee,
  checkExpiry,
  reachHost,
  verifySignature,
  claimInvitation,
]);

/** acceptCollaborationInvitation (check false) or validateCollaborationInvitation (check true). */
export async function acceptInvitation(
  c: CollaborationContext,
  input: AcceptInput,
  by: string,
  check: boolean,
): Promise<InvitationDocument> {
  const x: Ctx = { c, input, by, check };
  const run = await c.kernel.pipelines.run(
    check ? VALIDATE : ACCEPT,
    x,
    (s) => s.doc?.invitationId ?? 'invitation',
  );
  if (run.outcome === 'failed') {
    // A certificate trusted in this run serves no collaboration if the run failed after it.
    await forgetTrust(c, x.reached?.trustAlias);
    throw run.error;
  }
  return x.doc!;
}
