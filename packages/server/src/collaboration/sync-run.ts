/**
 * A sync run on the guest (job collaboration.sync, resumable): the host's changes pulled after
 * the guest's cursor (small copies' bytes inline in their changes, checked; larger files fetched
 * chunk by chunk into content-addressed partial files that survive an interruption; then
 * applied by origin), then the guest's own changes pushed after the host's cursor for it (small
 * files inline, larger ones uploaded the same way, then applied by the host), as
 * the guest's access mode allows. The run's status and history (what moved, each error with
 * its diagnosis, overwritten versions) are kept in collaboration_sync_runs.
 */

import { isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';
import type { JobContext } from '../kernel/jobs/job.ts';
import { GuestAccess } from './access-refresh.ts';
import { applyChanges } from './apply-changes.ts';
import type { CollaborationContext } from './context.ts';
import { copySource } from './copy-source.ts';
import {
  CollaborationGroupNotLinked,
  CollaborationNotSyncInitiator,
  CollaborationSyncFailed,
} from './errors.ts';
import { awaitPartnerExport } from './feature-copies.ts';
import { CHUNK_BYTES } from './feed-service.ts';
import { linkOf } from './group-link.ts';
import { PUSH_BUDGET, receiveInline } from './inline-data.ts';
import type { WireChange } from './outgoing.ts';
import { outgoingChanges } from './outgoing.ts';
import { appendChunk, completePath, partialState } from './partials.ts';
import { getParticipantRow, type ParticipantRow } from './participant-store.ts';
import { callAsPartner } from './partner-auth.ts';
import { type Json, PartnerCertificateRefused } from './partner-http.ts';
import { partnerPath } from './revoke.ts';
import { deleteRun, updateRun } from './run-store.ts';
import { getCollaborationRow, getWorkspaceRow, type WorkspaceRow } from './store.ts';
import { type SyncError, SyncHistory } from './sync-history.ts';
import { findReceived, getCursor, receivedShas } from './sync-store.ts';
import { confirmFix } from './validate-partner.ts';
import { checkWireChanges } from './wire-check.ts';

export const SYNC_JOB = 'collaboration.sync';
/** Log entries per batch (the host's feed answers at most 200; a batch also ends at its byte budget). */
const BATCH = 200;
/** How often a run's summary is written while data moves (syncStatus shows it moving). */
const SUMMARY_EVERY_MS = 250;
/** Inline files checked and written at once. */
const INLINE_WRITERS = 4;

export interface SyncJobInput {
  syncId: string;
  collaborationId: string;
  workspaceId: string;
  execType: 'manual' | 'scheduled' | 'realtime';
  /** Real-time: milliseconds the pull waits on the host for a change. */
  waitMs?: number;
}

interface Run {
  ctx: CollaborationContext;
  job: Pick<JobContext<SyncJobInput>, 'signal' | 'progress'>;
  w: WorkspaceRow;
  host: ParticipantRow;
  history: SyncHistory;
  call(resource: string, fields?: Record<string, string>): Promise<Json>;
  /** Reports what has moved so far (items and bytes) to the job and, throttled, to the run's summary. */
  progress(): Promise<void>;
}

/** The job's progress and the run's summary as data moves: done is the bytes transferred. */
function progressReporter(
  ctx: CollaborationContext,
  job: Pick<JobContext<SyncJobInput>, 'progress'>,
  syncId: string,
  history: SyncHistory,
): () => Promise<void> {
  let written = 0;
  let last = JSON.stringify(history.counts);
  return async () => {
    const c = history.counts;
    job.progress(
      c.bytes,
      null,
      `${c.received} item change(s) received, ${c.sent} sent; ${c.files} data file(s), ${c.bytes} bytes transferred`,
    );
    const now = Date.now();
    const summary = JSON.stringify(c);
    if (now - written < SUMMARY_EVERY_MS || summary === last) return;
    written = now;
    last = summary;
    await updateRun(ctx.kernel.db.kysely, syncId, { summary });
  };
}

/** The guest's workspace it may sync, or the refusal (host: collaboration.not_sync_initiator; no group linked). */
export async function syncTarget(ctx: CollaborationContext, collaborationId: string, workspaceId: string) {
  const db = ctx.kernel.db.kysely;
  const c = await getCollaborationRow(db, collaborationId);
  if (c.role !== 'guest')
    throw new MeridianError(
      CollaborationNotSyncInitiator,
      `This portal hosts collaboration '${c.name}': its guests initiate sync. ${CollaborationNotSyncInitiator.fix}`,
    );
  const w = await getWorkspaceRow(db, collaborationId, workspaceId);
  if (!w.portal_group_id)
    throw new MeridianError(
      CollaborationGroupNotLinked,
      `Workspace '${w.name}' has no group of this portal linked. ${CollaborationGroupNotLinked.fix}`,
    );
  return { c, w, host: await getParticipantRow(db, c.id, c.host_portal_id) };
}

/**
 * An error as the history records it: a refused certificate with the pki diagnosis, whose fix
 * is the collaboration's own confirmation (participants/<partner id>/validate) when the partner
 * is known.
 */
export function describeError(
  err: unknown,
  partner?: { collaborationId: string; portalId: string },
): SyncError {
  if (err instanceof PartnerCertificateRefused) {
    const d = err.diagnosis;
    if (!partner) return { code: d.code, message: err.message, diagnosis: d };
    return {
      code: d.code,
      message: err.message,
      diagnosis: { ...d, fix: confirmFix(partner.collaborationId, partner.portalId, d) },
      ...(d.suggestedTrust ? { fingerprintToConfirm: d.suggestedTrust.sha256Fingerprint } : {}),
    };
  }
  if (isMeridianError(err)) return { code: err.code, message: err.message };
  return { code: CollaborationSyncFailed.code, message: (err as Error)?.message ?? String(err) };
}

export async function runSync(ctx: CollaborationContext, job: JobContext<SyncJobInput>): Promise<unknown> {
  const db = ctx.kernel.db.kysely;
  const { syncId, collaborationId, workspaceId } = job.input;
  await updateRun(db, syncId, { status: 'started', start_time: ctx.kernel.clock.now(), end_time: null });
  const history = new SyncHistory();
  let status: 'completed' | 'completed_with_failures' | 'failed' = 'completed';
  let failure: unknown;
  let partner: { collaborationId: string; portalId: string } | undefined;
  try {
    const { w, host } = await syncTarget(ctx, collaborationId, workspaceId);
    partner = { collaborationId, portalId: host.portal_id };
    await updateRun(db, syncId, { status: 'in_progress' });
    const run: Run = {
      ctx,
      job,
      w,
      host,
      history,
      progress: progressReporter(ctx, job, syncId, history),
      call: (resource, fields = {}) => {
        job.signal.throwIfAborted();
        history.counts.calls++;
        return callAsPartner(
          ctx,
          collaborationId,
          host.portal_id,
          partnerPath(collaborationId, `workspaces/${w.id}/${resource}`),
          fields,
          job.signal,
        );
      },
    };
    // The modes as the host has them now (access-refresh.ts): a guest that missed a change catches up.
    const access = new GuestAccess(ctx, host);
    await access.refresh(w.id, job.input.execType === 'realtime', run.call, job.signal);
    const step = (need: 'send' | 'receive', fn: () => Promise<void>) => access.step(w.id, need, fn);
    if (job.input.execType === 'realtime') {
      // Real time: what changed here goes first, then the wait on the host's feed.
      await step('send', () => push(run));
      await step('receive', () => pull(run, job.input.waitMs ?? 0));
    } else {
      await step('receive', () => pull(run, 0));
      await step('send', () => push(run));
    }
    if (history.counts.errors) status = 'completed_with_failures';
  } catch (err) {
    if (job.signal.aborted && !isMeridianError(err)) throw err; // stopped: the job runs again
    history.error(describeError(err, partner));
    status = 'failed';
    failure = err;
  }
  const summary = { ...history.counts };
  const idle = !history.counts.received && !history.counts.sent && !history.counts.errors;
  if (job.input.execType === 'realtime' && idle && !failure) {
    await deleteRun(db, syncId); // a real-time run that moved nothing leaves no history
    return { syncId, status, summary };
  }
  await updateRun(db, syncId, {
    status,
    end_time: ctx.kernel.clock.now(),
    summary: JSON.stringify(summary),
    history: JSON.stringify(history.toJSON()),
  });
  if (failure) {
    const e = describeError(failure);
    throw new MeridianError(CollaborationSyncFailed, `The sync failed: ${e.message}`, {
      cause: failure,
      detail: e.code,
    });
  }
  return { syncId, status, summary };
}

async function pull(r: Run, waitMs: number): Promise<void> {
  const { ctx, w, host, history } = r;
  const db = ctx.kernel.db.kysely;
  let cursor = await getCursor(db, w.id, host.portal_id);
  const started = Date.now();
  for (let first = true; ; first = false) {
    const page = await r.call('partnerChanges', {
      after: String(cursor),
      limit: String(BATCH),
      ...(first && waitMs ? { wait: String(waitMs) } : {}),
    });
    const changes = checkWireChanges(page.changes ?? []);
    const failed = new Set<WireChange>();
    const take = async (change: WireChange, fetch: () => Promise<void>) => {
      try {
        await fetch();
      } catch (err) {
        if (r.job.signal.aborted || err instanceof PartnerCertificateRefused) throw err;
        if (
          !isMeridianError(err) ||
          (!err.code.startsWith('collaboration.sync_item') && !err.code.startsWith('collaboration.data'))
        )
          throw err;
        failed.add(change);
        history.error({ ...describeError(err), originItemId: change.originItemId });
      }
    };
    // Inline bytes are checked and written a few at a time; chunked transfers one after another.
    const inline = changes.filter(isInline);
    const kept = await receivedShas(
      db,
      w.collaboration_id,
      host.portal_id,
      inline.map((c) => c.originItemId),
    );
    await inParallel(inline, INLINE_WRITERS, (c) =>
      take(c, () => keepInline(r, c, kept.get(c.originItemId))),
    );
    for (const change of changes) if (!isInline(change)) await take(change, () => fetchData(r, change));
    const ready = changes.filter((c) => !failed.has(c));
    const missing = failed.size > 0;
    const applied = await applyChanges(ctx, {
      collaborationId: w.collaboration_id,
      workspace: w,
      fromPortalId: host.portal_id,
      changes: ready,
      // An item whose data did not arrive keeps the cursor where it is: the next sync takes it.
      upTo: missing ? cursor : Number(page.last),
      history,
      direction: 'received',
    });
    if (missing || applied.failed) return;
    cursor = Number(page.last);
    await r.progress();
    // The host is still exporting a feature service's features: ask again shortly (bounded).
    if (page.pending) {
      if (await awaitPartnerExport(page.pending, started, history, r.job.signal)) continue;
      return;
    }
    if (!page.more) return;
  }
}

const isInline = (c: WireChange) => c.item?.data.kind === 'file' && c.item.data.inline !== undefined;

/** Runs `fn` on every item, at most `n` at a time; the first failure stops the others taking more. */
async function inParallel<T>(items: readonly T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    try {
      while (!failed && next < items.length) await fn(items[next++]!);
    } catch (err) {
      failed = true;
      throw err;
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/**
 * A small copy's bytes, inline in its change: checked and written as a checked partial file,
 * unless the item's data kept here already has that SHA-256 (`keptSha`).
 */
async function keepInline(r: Run, change: WireChange, keptSha: string | null | undefined): Promise<void> {
  if (change.item?.data.kind !== 'file' || keptSha === change.item.data.sha256) return;
  const written = await receiveInline(r.ctx.partialsDir, change);
  r.history.counts.bytes += written;
  if (written) r.history.counts.files++;
  await r.progress();
}

/** A copy's file, fetched from where an earlier (interrupted) transfer stopped. */
async function fetchData(r: Run, change: WireChange): Promise<void> {
  const item = change.item;
  if (change.op !== 'upsert' || change.as !== 'copy' || !item) return;
  if (item.data.kind !== 'file' && item.data.kind !== 'features' && item.data.kind !== 'textFile') return;
  const { sha256, size } = item.data;
  // Features need a hosting server here: without one the change arrives as a reference or fails.
  if (item.data.kind === 'features' && !(await r.ctx.servers.hasHostingServer())) return;
  const dir = r.ctx.partialsDir;
  const db = r.ctx.kernel.db.kysely;
  const known = await findReceived(db, r.w.collaboration_id, r.host.portal_id, change.originItemId);
  if (known?.data_sha256 === sha256 || (await completePath(dir, sha256))) return;
  let { received } = await partialState(dir, sha256);
  for (;;) {
    const chunk =
      received < size
        ? await r.call('partnerData', {
            itemId: change.originItemId,
            modified: String(item.modified),
            offset: String(received),
          })
        : { data: '' };
    const bytes = Buffer.from(String(chunk.data ?? ''), 'base64');
    if (received < size && !bytes.length)
      throw new Error(`the host sent no bytes of item ${change.originItemId}`);
    const s = await appendChunk(dir, sha256, size, received, bytes);
    r.history.counts.bytes += bytes.length;
    if (s.complete) r.history.counts.files++;
    await r.progress();
    if (s.complete) return;
    received = s.received;
  }
}

async function push(r: Run): Promise<void> {
  const { ctx, w, host, history } = r;
  /** The host's cursor of this portal's feed, as last told. */
  let told = Number((await r.call('partnerCursor')).cursor ?? 0);
  let after = told;
  for (;;) {
    const out = await outgoingChanges(ctx, w, host.portal_id, after, BATCH, undefined, PUSH_BUDGET);
    // Entries with nothing to send (the items this portal received): read on; the host's cursor
    // moves past them with the next call.
    if (!out.changes.length && out.more) {
      after = out.last;
      continue;
    }
    if (!out.changes.length && out.last === told) return;
    for (const change of out.changes) await sendData(r, change);
    const res = await r.call('partnerApply', {
      changes: JSON.stringify(out.changes),
      upTo: String(out.last),
    });
    for (const c of out.changes)
      if (c.item?.data.kind === 'file' && c.item.data.inline !== undefined) {
        history.counts.bytes += c.item.data.size;
        history.counts.files++;
      }
    const h = (res.history ?? {}) as {
      moved?: Json[];
      errors?: SyncError[];
      overwritten?: Json[];
      fallbacks?: SyncError[];
    };
    for (const m of h.moved ?? [])
      history.move({
        direction: 'sent',
        op: m.op,
        as: m.as,
        originItemId: m.originItemId,
        title: m.title,
        bytes: 0,
      });
    for (const e of h.errors ?? []) history.error({ ...e, message: `${host.url}: ${e.message}` });
    for (const e of h.fallbacks ?? []) history.fallback({ ...e, message: `${host.url}: ${e.message}` });
    if (Number(res.failed)) return;
    after = told = out.last;
    await r.progress();
    if (!out.more) return;
  }
}

/** A copy's file, uploaded from where the host's partial file stops (a small file's bytes go inline in partnerApply). */
async function sendData(r: Run, change: WireChange): Promise<void> {
  const item = change.item;
  if (change.op !== 'upsert' || change.as !== 'copy' || !item) return;
  if (item.data.kind === 'file' && item.data.inline !== undefined) return;
  if (item.data.kind !== 'file' && item.data.kind !== 'features' && item.data.kind !== 'textFile') return;
  const { sha256, size } = item.data;
  const source = await r.ctx.content.synced.read(r.ctx.kernel.db.kysely, change.originItemId);
  const file = source && (await copySource(r.ctx, source, linkOf(r.w).copyFeatureServiceData));
  if (!file) return; // gone meanwhile: the host refuses the change, the next sync sends the new state
  let state = await r.call('partnerUpload', { sha256, size: String(size), offset: '0' });
  while (!state.complete) {
    const offset = Number(state.received);
    const bytes = await file.read(offset, Math.min(CHUNK_BYTES, size - offset));
    state = await r.call('partnerUpload', {
      sha256,
      size: String(size),
      offset: String(offset),
      data: bytes.toString('base64'),
    });
    r.history.counts.bytes += bytes.length;
    if (state.complete) r.history.counts.files++;
    await r.progress();
    if (!bytes.length && !state.complete)
      throw new Error(`the file of item ${change.originItemId} is shorter than announced`);
  }
}
