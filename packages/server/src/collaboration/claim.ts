/**
 * The host's side of an acceptance: the guest calls back with the invitation's id and one-time
 * secret and its own URL and id. The host refuses an unknown, invalidated or replaced, expired,
 * used or wrongly addressed invitation (each with its code); otherwise it marks the invitation
 * accepted by that guest, once (a `check` only validates).
 */
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { CollaborationContext } from './context.ts';
import { InvitationExpired, InvitationInvalidated, InvitationUsed, InvitationWrongGuest } from './errors.ts';
import { claimInvitation, findInvitationRow } from './invitation-store.ts';
import { hashSecret } from './invite.ts';
import { sameOrigin } from './self-party.ts';
import { notFound } from './store.ts';

export interface ClaimInput {
  invitationId: string;
  secret: string;
  guestPortalUrl: string;
  guestPortalId: string;
  check?: boolean | undefined;
}

export async function claim(ctx: CollaborationContext, input: ClaimInput) {
  const db = ctx.kernel.db.kysely;
  const now = ctx.kernel.clock.now();
  const row = await findInvitationRow(db, input.invitationId);
  if (!row) throw notFound('invitation', input.invitationId);
  if (row.state === 'invalidated')
    throw new MeridianError(
      InvitationInvalidated,
      `The host invalidated this invitation. ${InvitationInvalidated.fix}`,
    );
  if (row.state !== 'pending')
    throw new MeridianError(InvitationUsed, `This invitation was accepted already. ${InvitationUsed.fix}`);
  if (hashSecret(input.secret) !== row.secret_hash)
    throw new MeridianError(
      InvitationInvalidated,
      `This invitation file was replaced by a refreshed one: only the newest file can be accepted. ${InvitationInvalidated.fix}`,
    );
  if (Number(row.expires) <= now)
    throw new MeridianError(
      InvitationExpired,
      `This invitation expired on ${new Date(Number(row.expires)).toISOString()}. ${InvitationExpired.fix}`,
    );
  if (!sameOrigin(row.guest_url, input.guestPortalUrl))
    throw new MeridianError(
      InvitationWrongGuest,
      `This invitation is addressed to ${row.guest_url}, not to ${input.guestPortalUrl.slice(0, 200)}. ${InvitationWrongGuest.fix}`,
    );
  if (!input.check && !(await claimInvitation(db, row.id, row.secret_hash, input.guestPortalId, now)))
    throw new MeridianError(InvitationUsed, `This invitation was accepted already. ${InvitationUsed.fix}`);
  return {
    collaborationId: row.collaboration_id,
    accessModes: JSON.parse(row.access) as Record<string, string>,
  };
}
