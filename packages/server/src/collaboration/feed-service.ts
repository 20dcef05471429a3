/**
 * The host's side of sync, answering a guest's signed calls (the host never calls a guest):
 * its change feed after the guest's cursor (with a bounded wait for real-time sync), chunks of
 * a copy's data file, its cursor of the guest's own feed, chunks the guest uploads, and the
 * guest's changes to apply. Every call is refused unless the guest is an active participant
 * whose access mode in the workspace allows it.
 */
import type { FastifyRequest } from 'fastify';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { requireAccess } from './access-modes.ts';
import { applyChanges } from './apply-changes.ts';
import { hostedCollaboration } from './collaborations.ts';
import type { CollaborationContext } from './context.ts';
import { copySource } from './copy-source.ts';
import { CollaborationSyncItemChanged } from './errors.ts';
import { linkOf } from './group-link.ts';
import { receiveAllInline } from './inline-data.ts';
import { invalid } from './input.ts';
import { outgoingChanges } from './outgoing.ts';
import { appendChunk, partialState } from './partials.ts';
import type { ParticipantRow } from './participant-store.ts';
import { verifyPartnerCall } from './partner-auth.ts';
import { getWorkspaceRow, type WorkspaceRow } from './store.ts';
import { SyncHistory } from './sync-history.ts';
import { getCursor } from './sync-store.ts';
import { parseWireChanges } from './wire-check.ts';

export const CHUNK_BYTES = 512 * 1024;
const MAX_WAIT_MS = 25_000;
/** The feed answers within this (a partner's call lasts 30 s at most): a longer export is answered as pending. */
const ANSWER_WITHIN_MS = 27_000;
const MAX_BATCH = 200;

/** The guest that signed the call, allowed `need` in the workspace of a collaboration this portal hosts. */
export async function guestCall(
  ctx: CollaborationContext,
  req: FastifyRequest,
  collaborationId: string,
  workspaceId: string,
  need: 'send' | 'receive',
): Promise<{ guest: ParticipantRow; workspace: WorkspaceRow }> {
  const guest = await verifyPartnerCall(ctx, req, collaborationId);
  await hostedCollaboration(ctx, collaborationId);
  const workspace = await getWorkspaceRow(ctx.kernel.db.kysely, collaborationId, workspaceId);
  requireAccess(guest, workspace, need);
  return { guest, workspace };
}

/**
 * partnerChanges: the feed after `after`; with `wait` (ms), waits that long at most for a
 * change. The wait ends early when the guest hangs up or this node stops (answered as no change).
 */
export async function feed(
  ctx: CollaborationContext,
  req: FastifyRequest,
  x: { guest: ParticipantRow; workspace: WorkspaceRow },
  after: number,
  limit: number,
  wait: number,
) {
  const n = Math.min(Math.max(1, limit), MAX_BATCH);
  // A feature service's export waited for at most the configured time, and never past the answer's due time.
  const answerBy = Date.now() + ANSWER_WITHIN_MS;
  const exportWaitMs = (ctx.kernel.config.collaboration?.feedExportWaitSeconds ?? 10) * 1000;
  const exportBy = () => Math.min(Date.now() + exportWaitMs, answerBy);
  let out = await outgoingChanges(ctx, x.workspace, x.guest.portal_id, after, n, exportBy());
  const until = Date.now() + Math.min(Math.max(0, wait), MAX_WAIT_MS);
  const stopping = ctx.stopping;
  while (!out.changes.length && !out.more && out.last === after && Date.now() < until && !stopping.aborted) {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        off();
        req.raw.off('close', done);
        stopping.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, until - Date.now());
      const off = ctx.content.changes.onChange(done);
      req.raw.once('close', done);
      stopping.addEventListener('abort', done, { once: true });
    });
    if (req.raw.destroyed || stopping.aborted) break;
    out = await outgoingChanges(ctx, x.workspace, x.guest.portal_id, after, n, exportBy());
  }
  return out;
}

/** partnerData: a chunk of a copy's data file (or of its service's features export, or of its long text), while the item is as announced. */
export async function dataChunk(
  ctx: CollaborationContext,
  x: { workspace: WorkspaceRow },
  itemId: string,
  modified: number,
  offset: number,
) {
  const db = ctx.kernel.db.kysely;
  const item = await ctx.content.synced.read(db, itemId);
  const groupId = x.workspace.portal_group_id;
  const file =
    item && groupId && item.modified === modified && (await ctx.content.synced.inGroup(db, itemId, groupId))
      ? await copySource(ctx, item, linkOf(x.workspace).copyFeatureServiceData)
      : undefined;
  if (!file)
    throw new MeridianError(
      CollaborationSyncItemChanged,
      `Item ${itemId} changed, was unshared or deleted since the feed announced it. ${CollaborationSyncItemChanged.fix}`,
    );
  if (offset > file.size) throw invalid(`'offset' ${offset} is past the file's ${file.size} bytes.`);
  const bytes = await file.read(offset, Math.min(CHUNK_BYTES, file.size - offset));
  return { offset, size: file.size, data: bytes.toString('base64') };
}

/** partnerUpload: a chunk of a file the guest sends (or, without data, how much has arrived). */
export async function uploadChunk(
  ctx: CollaborationContext,
  sha256: string,
  size: number,
  offset: number,
  data: string | undefined,
) {
  if (data === undefined) return partialState(ctx.partialsDir, sha256);
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length > CHUNK_BYTES) throw invalid(`A chunk is at most ${CHUNK_BYTES} bytes.`);
  return appendChunk(ctx.partialsDir, sha256, size, offset, bytes);
}

/**
 * partnerApply: the guest's changes, applied as a guest's pull applies the host's — their
 * inline data checked and written first (a wrong one refuses the call, nothing applied).
 */
export async function applyPushed(
  ctx: CollaborationContext,
  x: { guest: ParticipantRow; workspace: WorkspaceRow },
  changesText: string,
  upTo: number,
) {
  const history = new SyncHistory();
  const changes = parseWireChanges(changesText);
  await receiveAllInline(ctx.partialsDir, changes);
  const r = await applyChanges(ctx, {
    collaborationId: x.workspace.collaboration_id,
    workspace: x.workspace,
    fromPortalId: x.guest.portal_id,
    changes,
    upTo,
    history,
    direction: 'received',
  });
  return {
    applied: changes.length - r.failed,
    failed: r.failed,
    cursor: await getCursor(ctx.kernel.db.kysely, x.workspace.id, x.guest.portal_id),
    history: history.toJSON(),
  };
}
