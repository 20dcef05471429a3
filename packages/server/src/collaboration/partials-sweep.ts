/**
 * The periodic sweep of the transfer directory (partials.ts), at module start and then hourly
 * on every node (it is idempotent): copies on their way into the file store
 * (<sha>.<time>.<rand>, apply-changes.ts) that a process killed between copying and storing
 * left, once an hour old; and partial or checked files (<sha>.part, <sha>.ok) no transfer has
 * written for a week, unless a sync run still going on this portal was created before they
 * were last written (it may continue them). Other names are not the sweep's.
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { CollaborationContext } from './context.ts';

export const LEFTOVER_COPY_MS = 3_600_000;
export const UNTOUCHED_PARTIAL_MS = 7 * 24 * 3_600_000;

const COPY = /^[0-9a-f]{64}\.\d+\.[0-9a-f]+$/;
const PARTIAL = /^[0-9a-f]{64}\.(part|ok)$/;

/** When the oldest sync run still going here was created (undefined: none is). */
async function oldestActiveRun(ctx: CollaborationContext): Promise<number | undefined> {
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

/** Starts the sweep (now, then hourly; the timer does not keep the process alive); answers its stop. */
export function startPartialsSweep(ctx: CollaborationContext): () => void {
  const sweep = () =>
    void sweepPartials(ctx)
      .then((removed) => {
        if (removed.length)
          ctx.kernel.log.info(
            { files: removed },
            `removed ${removed.length} leftover or long-untouched file(s) from the collaboration transfer directory`,
          );
      })
      .catch((err) => ctx.kernel.log.warn({ err }, 'sweeping the collaboration transfer directory failed'));
  const timer = setInterval(sweep, LEFTOVER_COPY_MS);
  timer.unref();
  sweep();
  return () => clearInterval(timer);
}
