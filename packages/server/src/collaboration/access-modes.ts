/**
 * Participants' access modes per workspace (send | receive | sendAndReceive): the host sets them
 * (updateParticipantAccessModes) and tells the guest; partner calls of sync are refused
 * (collaboration.access_denied) when the mode does not allow them.
 */
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { hostedCollaboration } from './collaborations.ts';
import type { CollaborationContext } from './context.ts';
import { CollaborationAccessDenied } from './errors.ts';
import { invalid } from './input.ts';
import { getParticipantRow, type ParticipantRow, setParticipantAccess } from './participant-store.ts';
import { callAsPartner } from './partner-auth.ts';
import { partnerPath } from './revoke.ts';
import { ACCESS_MODES, type AccessMode } from './schemas.ts';
import { listWorkspaceRows } from './store.ts';

/** collaborationWorkspacesAccessJSON: [{"<workspace id>":"send"}, …] or {"<workspace id>":"send", …}. */
export function parseAccessJson(
  text: string | undefined,
  workspaceIds: readonly string[],
): Record<string, AccessMode> {
  const param = 'collaborationWorkspacesAccessJSON';
  if (!text?.trim()) throw invalid(`Missing required parameter '${param}'.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid(`'${param}' is not JSON: give [{"<workspace id>":"send|receive|sendAndReceive"}].`);
  }
  const entries = (Array.isArray(parsed) ? parsed : [parsed]).flatMap((o) =>
    o && typeof o === 'object' ? Object.entries(o as Record<string, unknown>) : [['', o]],
  );
  if (!entries.length) throw invalid(`'${param}' names no workspace.`);
  const out: Record<string, AccessMode> = {};
  for (const [id, mode] of entries) {
    if (!workspaceIds.includes(id))
      throw invalid(
        `'${param}' names '${String(id).slice(0, 64)}', which is no workspace of this collaboration.`,
      );
    if (!ACCESS_MODES.includes(mode as AccessMode))
      throw invalid(
        `'${param}' gives workspace ${id} the mode ${JSON.stringify(mode)}: use send, receive or sendAndReceive.`,
      );
    out[id] = mode as AccessMode;
  }
  return out;
}

/** participants/<id>/updateParticipantAccessModes on the host; the guest is told (best effort). */
export async function updateParticipantAccessModes(
  ctx: CollaborationContext,
  collaborationId: string,
  portalId: string,
  json: string | undefined,
): Promise<{ accessModes: Record<string, string>; partnerTold: boolean }> {
  await hostedCollaboration(ctx, collaborationId);
  const db = ctx.kernel.db.kysely;
  const p = await getParticipantRow(db, collaborationId, portalId);
  const ids = (await listWorkspaceRows(db, collaborationId)).map((w) => w.id);
  const modes = { ...(JSON.parse(p.access) as Record<string, string>), ...parseAccessJson(json, ids) };
  await setParticipantAccess(db, collaborationId, portalId, JSON.stringify(modes), ctx.kernel.clock.now());
  let partnerTold = false;
  if (p.state === 'active')
    partnerTold = await callAsPartner(
      ctx,
      collaborationId,
      portalId,
      partnerPath(collaborationId, 'partnerAccessModes'),
      {
        accessModes: JSON.stringify(modes),
      },
    )
      .then(() => true)
      .catch((err: Error) => {
        ctx.kernel.log.warn({ err, partner: p.url }, 'telling a guest its new access modes failed');
        return false;
      });
  return { accessModes: modes, partnerTold };
}

/** On a guest: the host's signed call with its access modes (kept on the host's participant row). */
export async function partnerAccessModes(
  ctx: CollaborationContext,
  host: ParticipantRow,
  json: string | undefined,
) {
  const db = ctx.kernel.db.kysely;
  if (host.role !== 'host') throw invalid('Only the host of a collaboration sets access modes.');
  const ids = (await listWorkspaceRows(db, host.collaboration_id)).map((w) => w.id);
  const modes = parseAccessJson(json, ids);
  await setParticipantAccess(
    db,
    host.collaboration_id,
    host.portal_id,
    JSON.stringify(modes),
    ctx.kernel.clock.now(),
  );
}

/** The guest's access mode in the workspace (as the participant row records it). */
export function modeIn(p: ParticipantRow, workspaceId: string): AccessMode | undefined {
  return (JSON.parse(p.access) as Record<string, AccessMode>)[workspaceId];
}

export const maySend = (m: AccessMode | undefined) => m === 'send' || m === 'sendAndReceive';
export const mayReceive = (m: AccessMode | undefined) => m === 'receive' || m === 'sendAndReceive';

/** Refuses a guest's partner call its access mode does not allow ('send': it pushes; 'receive': it pulls). */
export function requireAccess(guest: ParticipantRow, workspaceId: string, need: 'send' | 'receive'): void {
  const mode = modeIn(guest, workspaceId);
  if (need === 'send' ? maySend(mode) : mayReceive(mode)) return;
  throw new MeridianError(
    CollaborationAccessDenied,
    `Participant ${guest.portal_id} has access mode '${mode ?? 'none'}' in workspace ${workspaceId}: it may not ${need === 'send' ? 'send items' : 'receive items'}. ${CollaborationAccessDenied.fix}`,
  );
}
