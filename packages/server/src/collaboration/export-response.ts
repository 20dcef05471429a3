/** exportInvitationResponse: the guest's signed response to the invitation it accepted. */
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { CollaborationContext } from './context.ts';
import { CollaborationNotGuest } from './errors.ts';
import { findParticipantRow } from './participant-store.ts';
import { RESPONSE_TYPE, type ResponseDocument } from './response-document.ts';
import { selfParty } from './self-party.ts';
import { signDocument } from './signed-document.ts';
import { getCollaborationRow, notFound } from './store.ts';

export async function exportResponse(
  ctx: CollaborationContext,
  collaborationId: string,
): Promise<ResponseDocument> {
  const db = ctx.kernel.db.kysely;
  const c = await getCollaborationRow(db, collaborationId);
  if (c.role !== 'guest')
    throw new MeridianError(
      CollaborationNotGuest,
      `This portal hosts collaboration '${c.name}': the guest exports the response. ${CollaborationNotGuest.fix}`,
    );
  const host = await findParticipantRow(db, c.id, c.host_portal_id);
  if (!host) throw notFound('participant', c.host_portal_id);
  const key = await ctx.key();
  const doc = {
    type: RESPONSE_TYPE,
    version: 1 as const,
    invitationId: host.invitation_id,
    collaborationId: c.id,
    hostPortalId: c.host_portal_id,
    guest: { ...(await selfParty(ctx, JSON.parse(c.own_contact))), publicKey: key.publicKey },
    created: ctx.kernel.clock.now(),
  };
  return signDocument(doc, key);
}
