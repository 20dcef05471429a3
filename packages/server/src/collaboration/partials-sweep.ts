/**
 * The periodic sweep of the transfer directory (partials.ts), at module start and then hourly
 * on every node (it is idempotent): copies on their way into the file store
 * (<sha>.<time>.<rand>, apply-changes.ts) that a process killed between copying and storing
 * left, once an hour old; and partial or checked files (<sha>.part, <sha>.ok) no transfer has
 * written for a week, unless a sync run still going on this portal was created before they
 * were last written (it may continue them). Other names are not the sweep's.
 *
 * Also the feature-service exports kept beside it (.collaboration-exports, feature-copies.ts):
 * an export (<item>.<modified>.geojson and .sha256) whose item is gone, changed since (a newer
 * version superseded it) or is shared with none of the groups linked to a workspace here, once
 * no transfer read it for an hour (reads mark its .sha256 file); and the temporary files of an
 * export or checksum a killed process left, once an hour old. Exports of items still shared as
 * they are stay: they are the cache every partner's transfer reads. The copy services left
 * unsettled on the hosting server are swept at the same times (copy-services-sweep.ts).
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { CollaborationContext } from './context.ts';
import { sweepCopyServices } from './copy-services-sweep.ts';
import { exportsDir } from './feature-copies.ts';

export const LEFTOVER_COPY_MS = 3_600_000;
export const UNTOUCHED_PARTIAL_MS = 7 * 24 * 3_600_000;

const COPY = /^[0-9a-f]{64}\.\d+\.[0-9a-f]+$/;
const PARTIAL = /^[0-9a-f]{64}\.(part|ok)$/;

/** When the oldest sync run still going here was created (undefined: none is). */
export async function oldestActiveRun(
  ctx: Pick<CollaborationContext, 'kernel'>,
): Promise<number | undefined> {
  const r = await ctx.kernel.db.kysely
    .selectFrom('collaboration_sync_runs')
    .select(sql<number | string | null>`min(created)`.as('m'))
    .where('status', 'in', ['submitted', 'started', 'in_progress'])
    .executeTakeFirst();
  return r?.m === null || r?.m === undefined ? undefined : Number(r.m);
}

/** Removes what the sweep may; answers the names removed. */
export async function sweepPartials(ctx: CollaborationContext, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(ctx.partialsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const active = await oldestActiveRun(ctx);
  const partialsBefore = Math.min(now - UNTOUCHED_PARTIAL_MS, active ?? Number.POSITIVE_INFINITY);
  const removed: string[] = [];
  for (const name of names) {
    const copy = COPY.test(name);
    if (!copy && !PARTIAL.test(name)) continue;
    const path = join(ctx.partialsDir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    // Ages count from the last write (a copy is written once, when it is made).
    const stale = copy ? now - info.mtimeMs > LEFTOVER_COPY_MS : info.mtimeMs < partialsBefore;
    if (!stale) continue;
    await unlink(path).then(
      () => removed.push(name),
      () => {},
    );
  }
  return removed;
}

/** An export not read for this long, whose item no longer wants it, goes. */
export const UNUSED_EXPORT_MS = 3_600_000;

const EXPORT = /^(.+)\.(\d+)\.(geojson|sha256)$/;
const EXPORT_TMP = /^.+\.\d+\.(geojson\.\d+\.\d+\.tmp|sha256\.[0-9a-f]+)$/;

async function sharedWithAny(
  ctx: Pick<CollaborationContext, 'kernel' | 'content'>,
  itemId: string,
  groups: string[],
): Promise<boolean> {
  for (const g of groups) if (await ctx.content.synced.inGroup(ctx.kernel.db.kysely, itemId, g)) return true;
  return false;
}

/** Removes exports no item wants any more and leftover temporary files; answers the names removed. */
export async function sweepExports(
  ctx: Pick<CollaborationContext, 'kernel' | 'partialsDir' | 'content'>,
  now = Date.now(),
): Promise<string[]> {
  const dir = exportsDir(ctx);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const db = ctx.kernel.db.kysely;
  const groups = (
    await db
      .selectFrom('collaboration_workspaces')
      .select('portal_group_id')
      .where('portal_group_id', 'is not', null)
      .execute()
  ).map((r) => r.portal_group_id!);
  const removed: string[] = [];
  const remove = (name: string) =>
    unlink(join(dir, name)).then(
      () => void removed.push(name),
      () => {},
    );
  /** Each export's files and when a transfer last read (or the export wrote) them. */
  const exports = new Map<string, { itemId: string; modified: number; files: string[]; used: number }>();
  for (const name of names) {
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (!info?.isFile()) continue;
    if (EXPORT_TMP.test(name)) {
      if (now - info.mtimeMs > LEFTOVER_COPY_MS) await remove(name);
      continue;
    }
    const m = EXPORT.exec(name);
    if (!m) continue;
    const key = `${m[1]}.${m[2]}`;
    const e = exports.get(key) ?? { itemId: m[1]!, modified: Number(m[2]), files: [], used: 0 };
    e.files.push(name);
    e.used = Math.max(e.used, info.mtimeMs);
    exports.set(key, e);
  }
  for (const e of exports.values()) {
    if (now - e.used <= UNUSED_EXPORT_MS) continue;
    const item = await ctx.content.synced.read(db, e.itemId);
    if (item?.modified === e.modified && (await sharedWithAny(ctx, e.itemId, groups))) continue;
    // The checksum first: without it the export is no longer announced.
    for (const f of e.files.sort((a, b) => Number(b.endsWith('.sha256')) - Number(a.endsWith('.sha256'))))
      await remove(f);
  }
  return removed;
}

/** Starts the sweep (now, then hourly; the timer does not keep the process alive); answers its stop. */
export function startPartialsSweep(ctx: CollaborationContext): () => void {
  const sweep = () => {
    void Promise.all([sweepPartials(ctx), sweepExports(ctx)])
      .then((lists) => {
        const removed = lists.flat();
        if (removed.length)
          ctx.kernel.log.info(
            { files: removed },
            `removed ${removed.length} leftover or long-untouched file(s) from the collaboration transfer and export directories`,
          );
      })
      .catch((err) => ctx.kernel.log.warn({ err }, 'sweeping the collaboration transfer directory failed'));
    void sweepCopyServices(ctx)
      .then((retired) => {
        if (retired.length)
          ctx.kernel.log.info(
            { services: retired },
            `retired ${retired.length} copy service(s) published for changes that never applied`,
          );
      })
      .catch((err) => ctx.kernel.log.warn({ err }, 'sweeping unsettled copy services failed'));
  };
  const timer = setInterval(sweep, LEFTOVER_COPY_MS);
  timer.unref();
  sweep();
  return () => clearInterval(timer);
}
