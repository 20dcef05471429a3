/**
 * The sending side of a Feature Service copy: a Feature Service item whose URL is a service of
 * one of this portal's federated servers travels, when the link says copyFeatureServiceData,
 * with the service's features as its data — a GeoJSON export the servers module makes
 * (paged queries, streamed to a file). The export is kept per (item, modified) in
 * .collaboration-exports beside the partial files (shared by the portal's nodes), with its
 * SHA-256 beside it: the feed, the chunks a partner reads (or this portal uploads) and a
 * resumed transfer all see the same bytes. A newer export of an item replaces its older ones.
 *
 * A large layer takes longer to export than a partner's call may last (30 s): the feed asks for
 * the export within a bound (exportWithin). The export then goes on in the background on this
 * node (one per item version, whoever asks), and the feed ends its batch before that change
 * with a "not ready yet, ask again" signal; the next ask finds it kept (or its failure, once).
 * Reading a kept export (a transfer) marks it used: the sweep (partials-sweep.ts) leaves exports
 * a transfer read lately.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SyncItem } from '../content/module.ts';
import type { CollaborationContext } from './context.ts';
import { CollaborationDataNotReady } from './errors.ts';
import { fileSha256 } from './partials.ts';
import type { SyncHistory } from './sync-history.ts';

export const FEATURE_SERVICE = 'Feature Service';

/** An export of a service's features: the file, its size and SHA-256. */
export interface FeaturesExport {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

/** A Feature Service item without data of its own: its features may travel as a copy. */
export const isServiceItem = (item: Pick<SyncItem, 'type' | 'url' | 'data'>) =>
  item.type === FEATURE_SERVICE && Boolean(item.url) && item.data.kind === 'none';

/** Where exports are kept (beside the partials directory, shared by the portal's nodes). */
export const exportsDir = (ctx: Pick<CollaborationContext, 'partialsDir'>) =>
  join(dirname(ctx.partialsDir), '.collaboration-exports');

/** A kept export read (for a transfer) at most this long ago counts as in use (its .sha256 file's mtime). */
export const MARK_USED_EVERY_MS = 60_000;

/** Marks a kept export read now (throttled): the sweep leaves it while transfers read it. */
async function markUsed(shaPath: string, mtimeMs: number): Promise<void> {
  const now = Date.now();
  if (now - mtimeMs < MARK_USED_EVERY_MS) return;
  await utimes(shaPath, new Date(now), new Date(now)).catch(() => {});
}

/** The item's export as kept on disk, or undefined (not made yet). */
async function keptExport(ctx: CollaborationContext, item: SyncItem): Promise<FeaturesExport | undefined> {
  const key = `${item.id}.${item.modified}`;
  const dir = exportsDir(ctx);
  const path = join(dir, `${key}.geojson`);
  const shaPath = join(dir, `${key}.sha256`);
  const kept = await readFile(shaPath, 'utf8').catch(() => undefined);
  const [size, shaInfo] = await Promise.all([
    stat(path).then(
      (s) => s.size,
      () => undefined,
    ),
    stat(shaPath).catch(() => undefined),
  ]);
  if (!kept || size === undefined || !shaInfo) return undefined;
  await markUsed(shaPath, shaInfo.mtimeMs);
  return { path, name: `${item.id}.geojson`, size, sha256: kept.trim() };
}

/**
 * The export of the item's service as it is at the item's modified time (made now if it is not
 * kept yet); undefined when the URL is no service of this portal's federated servers. A failed
 * export throws (servers.export_failed, servers.unreachable, …). Two made at once (two nodes)
 * write the same bytes, each to its own temporary file first.
 */
export async function featuresExport(
  ctx: CollaborationContext,
  item: SyncItem,
): Promise<FeaturesExport | undefined> {
  const kept = await keptExport(ctx, item);
  if (kept) return kept;
  const r = await exportWithin(ctx, item, Number.POSITIVE_INFINITY);
  if (r === 'pending') throw new Error('unreachable: an unbounded wait ended pending');
  return r;
}

/** An export under way on this node (at most one per item version), and how it ended. */
interface Making {
  done: Promise<FeaturesExport | undefined>;
  ended?: { value: FeaturesExport | undefined } | { error: unknown };
}
const making = new Map<string, Making>();
/** An ended export's outcome waits this long for the next ask (its file stays kept on disk). */
const FORGET_AFTER_MS = 10 * 60_000;

/** Makes the export (the servers module's paged queries into a file, then its SHA-256 beside it). */
async function makeExport(ctx: CollaborationContext, item: SyncItem): Promise<FeaturesExport | undefined> {
  const key = `${item.id}.${item.modified}`;
  const dir = exportsDir(ctx);
  const path = join(dir, `${key}.geojson`);
  const shaPath = join(dir, `${key}.sha256`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!(await ctx.servers.exportFeatures(item.url!, path, ctx.stopping))) return undefined;
  const sha256 = await fileSha256(path);
  const tmp = `${shaPath}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, sha256, { mode: 0o600 });
  await rename(tmp, shaPath);
  // The item's older exports are not announced any more.
  for (const f of await readdir(dir))
    if (f.startsWith(`${item.id}.`) && !f.startsWith(`${key}.`)) await unlink(join(dir, f)).catch(() => {});
  return { path, name: `${item.id}.geojson`, size: (await stat(path)).size, sha256 };
}

/**
 * The item's export if it is kept or can be made within `waitMs`; else 'pending': it goes on
 * in the background (not tied to the caller) and a later ask finds it. An export that failed
 * throws its error to the next ask (once: the ask after that tries again).
 */
export async function exportWithin(
  ctx: CollaborationContext,
  item: SyncItem,
  waitMs: number,
): Promise<FeaturesExport | undefined | 'pending'> {
  const kept = await keptExport(ctx, item);
  if (kept) return kept;
  const key = `${item.id}.${item.modified}`;
  let m = making.get(key);
  if (!m) {
    const made: Making = { done: makeExport(ctx, item) };
    made.done.then(
      (value) => {
        made.ended = { value };
      },
      (error: unknown) => {
        made.ended = { error };
      },
    );
    void made.done
      .catch(() => {})
      .finally(() =>
        setTimeout(() => making.get(key) === made && making.delete(key), FORGET_AFTER_MS).unref(),
      );
    making.set(key, made);
    m = made;
  }
  if (!m.ended && waitMs > 0) {
    let timer: NodeJS.Timeout | undefined;
    const waited = Number.isFinite(waitMs)
      ? new Promise<void>((resolve) => {
          timer = setTimeout(resolve, waitMs);
        })
      : new Promise<void>(() => {});
    await Promise.race([m.done.catch(() => {}), waited]);
    clearTimeout(timer);
    // The outcome handlers ran before this continuation (they were attached first).
  }
  if (!m.ended) return 'pending';
  if (making.get(key) === m) making.delete(key);
  if ('error' in m.ended) throw m.ended.error;
  return m.ended.value;
}

/**
 * The file whose bytes a copy of the item carries: its own data file, or the export of its
 * service's features (when the workspace's link copies feature-service data); undefined if none.
 */
export async function copyDataFile(
  ctx: CollaborationContext,
  item: SyncItem,
  copyFeatureServiceData: boolean,
): Promise<{ path: string; size: number } | undefined> {
  if (item.data.kind === 'file' && item.data.path) return { path: item.data.path, size: item.data.size };
  if (!copyFeatureServiceData || !isServiceItem(item)) return undefined;
  const e = await featuresExport(ctx, item);
  return e && { path: e.path, size: e.size };
}

/** How long a sync run waits, in all, for a partner's exports before the next sync takes the rest. */
export const EXPORT_PATIENCE_MS = 60_000;

/**
 * The receiver's side of a "not ready yet" feed answer: waits the partner's retryAfterMs (within
 * bounds) and answers true to ask again, or, past EXPORT_PATIENCE_MS since `since`, records
 * collaboration.data_not_ready for the item and answers false (the cursor stays before it: the
 * next sync takes it). Aborting `signal` ends the wait with its reason.
 */
export async function awaitPartnerExport(
  pending: { originItemId?: unknown; retryAfterMs?: unknown },
  since: number,
  history: SyncHistory,
  signal: AbortSignal,
): Promise<boolean> {
  const left = since + EXPORT_PATIENCE_MS - Date.now();
  if (left <= 0) {
    history.error({
      code: CollaborationDataNotReady.code,
      message: `The features of item ${String(pending.originItemId)} were still being exported by the sender after ${EXPORT_PATIENCE_MS / 1000} s. ${CollaborationDataNotReady.fix}`,
      originItemId: String(pending.originItemId),
    });
    return false;
  }
  const retry = Math.min(Math.max(100, Number(pending.retryAfterMs) || 1000), 5_000, left);
  await sleep(retry, undefined, { signal });
  return true;
}
