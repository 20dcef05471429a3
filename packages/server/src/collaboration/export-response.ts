/**
 * exportInvitationResponse: the guest's signed response to the invitation it accepted, naming
 * the groups it has linked to workspaces so far (the host shows them on its participant).
 */
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { CollaborationContext } from './context.ts';
import { CollaborationNotGuest } from './errors.ts';
import { findParticipantRow } from './participant-store.ts';
import { type LinkedGroup, RESPONSE_TYPE, type ResponseDocument } from './response-document.ts';
import { selfParty } from './self-party.ts';
import { signDocument } from './signed-document.ts';
import { getCollaborationRow, listWorkspaceRows, notFound } from './store.ts';

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
  const linkedGroups: LinkedGroup[] = [];
  for (const w of await listWorkspaceRows(db, c.id)) {
    const group = w.portal_group_id ? await ctx.groups.find(w.portal_group_id) : undefined;
    if (group) linkedGroups.push({ workspaceId: w.id, groupId: group.id, title: group.title });
  }
  const key = await ctx.key();
  const doc = {
    type: RESPONSE_TYPE,
    version: 1 as const,
    invitationId: host.invitation_id,
    collaborationId: c.id,
    hostPortalId: c.host_portal_id,
    guest: { ...(await selfParty(ctx, JSON.parse(c.own_contact))), publicKey: key.publicKey },
    linkedGroups,
    created: ctx.kernel.clock.now(),
  };
  return signDocument(doc, key);
}
