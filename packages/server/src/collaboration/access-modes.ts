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
import { listWorkspaceRows, type WorkspaceRow } from './store.ts';

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
  const workspaces = await listWorkspaceRows(db, collaborationId);
  const given = parseAccessJson(
    json,
    workspaces.map((w) => w.id),
  );
  checkAgainstHost('collaborationWorkspacesAccessJSON', given, workspaces);
  const modes = { ...(JSON.parse(p.access) as Record<string, string>), ...given };
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

/** The host's own access mode in a workspace (createCollaboration's accessMode); null on a guest. */
export function hostAccessOf(w: Pick<WorkspaceRow, 'host_access'>): AccessMode | null {
  const mode = w.host_access as AccessMode | null | undefined;
  return mode && ACCESS_MODES.includes(mode) ? mode : null;
}

/** createCollaboration's accessMode: one of the three modes (default sendAndReceive). */
export function checkHostAccess(value: string | undefined): AccessMode {
  const v = (value ?? '').trim();
  if (!v) return 'sendAndReceive';
  if (!ACCESS_MODES.includes(v as AccessMode))
    throw invalid(
      `'accessMode' is ${JSON.stringify(v.slice(0, 40))}: give send, receive or sendAndReceive (this portal's own access to the first workspace).`,
    );
  return v as AccessMode;
}

/**
 * Guests' modes the host can honour: a guest sends only where the host receives, and receives
 * only where the host sends (a guest's mode in a workspace of a send-only host is receive).
 */
export function checkAgainstHost(param: string, modes: Record<string, string>, workspaces: WorkspaceRow[]) {
  for (const w of workspaces) {
    const mode = modes[w.id] as AccessMode | undefined;
    const host = hostAccessOf(w) ?? 'sendAndReceive';
    if (!mode || host === 'sendAndReceive') continue;
    if ((maySend(mode) && !mayReceive(host)) || (mayReceive(mode) && !maySend(host)))
      throw invalid(
        `'${param}' gives workspace ${w.id} the mode '${mode}', but this portal's own access mode there is '${host}' (set when the collaboration was created): a guest there can only ${host === 'send' ? 'receive' : 'send'}. Give '${host === 'send' ? 'receive' : 'send'}'.`,
      );
  }
}

/**
 * Refuses a guest's partner call its access mode does not allow ('send': it pushes; 'receive':
 * it pulls), or that the host's own mode in the workspace does not allow (the guest pushes: the
 * host receives; the guest pulls: the host sends).
 */
export function requireAccess(
  guest: ParticipantRow,
  workspace: string | Pick<WorkspaceRow, 'id' | 'host_access'>,
  need: 'send' | 'receive',
): void {
  const workspaceId = typeof workspace === 'string' ? workspace : workspace.id;
  const mode = modeIn(guest, workspaceId);
  if (!(need === 'send' ? maySend(mode) : mayReceive(mode)))
    throw new MeridianError(
      CollaborationAccessDenied,
      `Participant ${guest.portal_id} has access mode '${mode ?? 'none'}' in workspace ${workspaceId}: it may not ${need === 'send' ? 'send items' : 'receive items'}. ${CollaborationAccessDenied.fix}`,
      // The guest's current modes: a guest that missed a change records them (access-refresh.ts).
      { data: { accessModes: JSON.parse(guest.access) as Record<string, string> } },
    );
  const host = typeof workspace === 'string' ? null : hostAccessOf(workspace);
  if (host && !(need === 'send' ? mayReceive(host) : maySend(host)))
    throw new MeridianError(
      CollaborationAccessDenied,
      `This portal's own access mode in workspace ${workspaceId} is '${host}' (set when the collaboration was created): it does not ${need === 'send' ? 'receive items from' : 'send items to'} participants there. ${CollaborationAccessDenied.fix}`,
    );
}
