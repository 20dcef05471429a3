/**
 * Who writes a layer that is still being written: the writing process (host name, pid, when
 * it started the layer) recorded beside the layer, and its heartbeat, renewed as batches
 * arrive. A serving node's sweep drops a half-written layer only when its writer is provably
 * gone: its process is not alive on this host, or its heartbeat is older than a generous
 * timeout (a writer on another host, or a pid reused since).
 */
import { hostname } from 'node:os';

export interface WriterMark {
  host: string;
  pid: number;
  /** Epoch ms: when it created the layer. */
  started: number;
}

/** How old a heartbeat makes a writer gone whatever its process (default of the sweep). */
export const ABANDONED_AFTER_MS = 30 * 60_000;

/** A live writer renews its heartbeat at most this often. */
export const HEARTBEAT_EVERY_MS = 10_000;

export interface SweepOptions {
  /** Default Date.now(). */
  now?: number;
  /** Default ABANDONED_AFTER_MS. */
  abandonedAfterMs?: number;
}

/** Removes the half-written layers whose writers are gone; answers their service keys and layer ids. */
export interface AbandonedLayerSweep {
  sweepAbandoned(opts?: SweepOptions): Promise<{ serviceKey: string; layerId: number }[]>;
}

export function thisWriter(now: number): WriterMark {
  return { host: hostname(), pid: process.pid, started: now };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a layer's writer is gone. A mark that cannot be read (a layer from a version that
 * kept none) counts as gone; so does a heartbeat older than the timeout, or a dead process on
 * this host.
 */
export function writerGone(
  markText: string | null,
  heartbeat: number | null,
  opts: Required<SweepOptions>,
): boolean {
  let mark: WriterMark;
  try {
    mark = JSON.parse(markText ?? '') as WriterMark;
  } catch {
    return true;
  }
  if (typeof mark?.pid !== 'number' || typeof mark.host !== 'string') return true;
  if (heartbeat === null || opts.now - heartbeat > opts.abandonedAfterMs) return true;
  return mark.host === hostname() && !processAlive(mark.pid);
}

export function sweepOptions(opts: SweepOptions = {}): Required<SweepOptions> {
  return { now: opts.now ?? Date.now(), abandonedAfterMs: opts.abandonedAfterMs ?? ABANDONED_AFTER_MS };
}
