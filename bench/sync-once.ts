/**
 * One sync run on the guest as an administrator starts it: workspaces/<id>/sync (async, a job),
 * then syncStatus?syncId polled until the run has ended. Answers the run (status, summary,
 * history), its own duration (startTime → endTime, the portal's clock: what the job did) and
 * the wall time the bench saw (the request until it read the end; polling adds up to one
 * interval).
 */
import { BenchCaseFailed } from './case-failed.ts';
import type { Json } from './sync-api.ts';
import type { SyncPartners } from './sync-partners.ts';

const ENDED = new Set(['completed', 'completed_with_failures', 'failed']);

export interface SyncRun {
  run: Json;
  summary: Record<string, number>;
  /** endTime - startTime. */
  runMs: number;
  wallMs: number;
}

export async function syncOnce(
  p: SyncPartners,
  opts: { pollMs: number; timeoutMs: number; progress?: (run: Json) => void | Promise<void> },
): Promise<SyncRun> {
  const started = performance.now();
  const r = await p.guest.post(p.workspacePath('sync'), { async: true });
  const syncId = r.key as string;
  let lastReport = started;
  for (;;) {
    const s = await p.guest.get(p.workspacePath('syncStatus'), { syncId });
    const run = s.status?.[0] as Json | undefined;
    if (!run) throw new BenchCaseFailed('syncStatus', `no run ${syncId}: ${JSON.stringify(s).slice(0, 300)}`);
    const now = performance.now();
    if (ENDED.has(run.status)) {
      return {
        run,
        summary: run.summary,
        runMs: Number(run.endTime) - Number(run.startTime),
        wallMs: now - started,
      };
    }
    if (now - started > opts.timeoutMs)
      throw new BenchCaseFailed(
        'sync',
        `run ${syncId} still ${run.status} after ${(opts.timeoutMs / 1000).toFixed(0)} s`,
      );
    if (opts.progress && now - lastReport > 10_000) {
      lastReport = now;
      await opts.progress(run);
    }
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs));
  }
}
