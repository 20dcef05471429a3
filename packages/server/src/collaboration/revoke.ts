/**
 * Ending a partnership: the host removes a participant (participants/<id>/remove), a guest
 * leaves (removeParticipation). The partner is told first with a signed call (while the
 * partnership still holds) so that it stops too; whether or not it could be reached, this side
 * marks the participant removed, and its signed calls are refused from then on, on every node.
 * The items received from it then follow the delete policies (delete-policy.ts): the partner
 * is told whether it should delete what this portal contributed, and the trust entry the
 * exchange added for the partner goes unless another partnership still uses it.
 */
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { hostedCollaboration } from './collaborations.ts';
import type { CollaborationContext } from './context.ts';
import { applyDeletePolicy, policyOf } from './delete-policy.ts';
import { CollaborationNotGuest } from './errors.ts';
import {
  getParticipantRow,
  listParticipantRows,
  type ParticipantRow,
  setParticipantState,
} from './participant-store.ts';
import { callAsPartner } from './partner-auth.ts';
import { releaseTrust } from './release-trust.ts';
import { getCollaborationRow } from './store.ts';

export const partnerPath = (collaborationId: string, resource: string) =>
  `/sharing/rest/portals/self/collaborations/${collaborationId}/${resource}`;

/** Tells the partner, then marks it removed here; answers whether the partner was told. */
async function revoke(
  ctx: CollaborationContext,
  p: ParticipantRow,
): Promise<{ partnerTold: boolean; message?: string }> {
  let told: { partnerTold: boolean; message?: string } = { partnerTold: false };
  const policy = policyOf(await getCollaborationRow(ctx.kernel.db.kysely, p.collaboration_id));
  if (p.state === 'active')
    told = await callAsPartner(
      ctx,
      p.collaboration_id,
      p.portal_id,
      partnerPath(p.collaboration_id, 'partnerRemoved'),
      { deleteContributedItems: String(policy.deleteContributedItems) },
    )
      .then(() => ({ partnerTold: true }))
      .catch((err: Error) => {
        ctx.kernel.log.warn({ err, partner: p.url }, 'telling a partner its partnership ended failed');
        return { partnerTold: false, message: err.message };
      });
  await setParticipantState(
    ctx.kernel.db.kysely,
    p.collaboration_id,
    p.portal_id,
    'removed',
    ctx.kernel.clock.now(),
  );
  await applyDeletePolicy(ctx, p.collaboration_id, p.portal_id, false);
  await releaseTrust(ctx, p);
  return told;
}

/** Before a hosted collaboration is deleted: every active partnership ends (each partner told). */
export async function endAllPartnerships(ctx: CollaborationContext, collaborationId: string): Promise<void> {
  await hostedCollaboration(ctx, collaborationId);
  for (const p of await listParticipantRows(ctx.kernel.db.kysely, collaborationId))
    if (p.state === 'active') await revoke(ctx, p);
}

/** participants/<id>/remove on the host. */
export async function removeParticipant(
  ctx: CollaborationContext,
  collaborationId: string,
  portalId: string,
) {
  await hostedCollaboration(ctx, collaborationId);
  return revoke(ctx, await getParticipantRow(ctx.kernel.db.kysely, collaborationId, portalId));
}

/** removeParticipation on a guest: it leaves the collaboration (the host is told). */
export async function leaveCollaboration(ctx: CollaborationContext, collaborationId: string) {
  const db = ctx.kernel.db.kysely;
  const c = await getCollaborationRow(db, collaborationId);
  if (c.role !== 'guest')
    throw new MeridianError(
      CollaborationNotGuest,
      `This portal hosts collaboration '${c.name}': remove participants or delete it instead. ${CollaborationNotGuest.fix}`,
    );
  return revoke(ctx, await getParticipantRow(db, collaborationId, c.host_portal_id));
}

/** A partner's signed partnerRemoved: the partnership ends on this side too. */
export async function partnerRemoved(
  ctx: CollaborationContext,
  partner: ParticipantRow,
  partnerDeletesContributed = false,
): Promise<void> {
  await getCollaborationRow(ctx.kernel.db.kysely, partner.collaboration_id);
  await setParticipantState(
    ctx.kernel.db.kysely,
    partner.collaboration_id,
    partner.portal_id,
    'removed',
    ctx.kernel.clock.now(),
  );
  await applyDeletePolicy(ctx, partner.collaboration_id, partner.portal_id, partnerDeletesContributed);
  await releaseTrust(ctx, partner);
}
