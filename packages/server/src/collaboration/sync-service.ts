/**
 * Starting syncs and reading their status on the guest: sync (a job; only the guest may),
 * configSync, syncStatus; at most one run of a workspace at a time, also across nodes (a run
 * whose job is gone does not count).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isPostgres } from '../kernel/db/column-types.ts';
import { modeIn } from './access-modes.ts';
import type { CollaborationContext } from './context.ts';
import { CollaborationSyncFailed } from './errors.ts';
import { linkOf } from './group-link.ts';
import { activeRun, getRun, insertRun, listRuns, type RunRow, updateRun } from './run-store.ts';
import { SYNC_JOB, type SyncJobInput, syncTarget } from './sync-run.ts';

export async function startSync(
  ctx: CollaborationContext,
  collaborationId: string,
  workspaceId: string,
  execType: SyncJobInput['execType'],
  extra: Partial<SyncJobInput> = {},
): Promise<{ syncId: string; jobId: string; started: boolean }> {
  await syncTarget(ctx, collaborationId, workspaceId);
  const db = ctx.kernel.db.kysely;
  for (;;) {
    const syncId = randomBytes(16).toString('hex');
    // The check and the insert in one transaction that locks the workspace: of several nodes
    // starting a run at once (a real-time kick here, a manual sync there), one inserts it.
    const running = await db.transaction().execute(async (trx) => {
      if (isPostgres(trx as unknown as Kysely<unknown>))
        await trx
          .selectFrom('collaboration_workspaces')
          .select('id')
          .where('id', '=', workspaceId)
          .forUpdate()
          .execute();
      const active = await activeRun(trx, workspaceId);
      if (active) return active;
      await insertRun(trx, {
        id: syncId,
        collaboration_id: collaborationId,
        workspace_id: workspaceId,
        exec_type: execType,
        status: 'submitted',
        start_time: null,
        end_time: null,
        summary: '{}',
        history: '{"moved":[],"errors":[],"overwritten":[]}',
        created: ctx.kernel.clock.now(),
      });
      return undefined;
    });
    // A run going on (also one whose node died: its job is taken over once its lease expires) is joined.
    if (running) {
      if (await endedIfOrphaned(ctx, running)) continue;
      return { syncId: running.id, jobId: running.id, started: false };
    }
    const input: SyncJobInput = { ...extra, syncId, collaborationId, workspaceId, execType };
    const jobId = await ctx.kernel.jobs.start(SYNC_JOB, input);
    return { syncId, jobId, started: true };
  }
}

/** How old a run must be before it may be taken for one whose job is gone (past any job lease). */
const ORPHAN_AFTER_MS = 120_000;

/**
 * A run whose job ended without ending it (a job cancelled, or failed, while its node was down)
 * would keep its workspace from syncing for ever: once no queued or running job carries it,
 * it is ended as failed, saying so, and answers true.
 */
async function endedIfOrphaned(ctx: CollaborationContext, run: RunRow): Promise<boolean> {
  const now = ctx.kernel.clock.now();
  if (now - Number(run.created) < ORPHAN_AFTER_MS) return false;
  // Queued again last: a job released (the node stopping) between the reads is still seen.
  for (const status of ['queued', 'running', 'queued'] as const) {
    const { jobs } = await ctx.kernel.jobs.list({ kind: SYNC_JOB, status, num: 10_000 });
    if (jobs.some((j) => (j.input as Partial<SyncJobInput> | null)?.syncId === run.id)) return false;
  }
  const history = JSON.parse(run.history) as { errors?: unknown[] };
  history.errors = [
    ...(history.errors ?? []),
    {
      code: CollaborationSyncFailed.code,
      message:
        'The run was interrupted: its job ended without finishing it (cancelled or failed while the node running it was down). The next sync continues from where it stopped.',
    },
  ];
  await updateRun(ctx.kernel.db.kysely, run.id, {
    status: 'failed',
    end_time: now,
    history: JSON.stringify(history),
  });
  return true;
}

/** Waits for a run to end (sync with async=false), at most `ms`. */
export async function waitForRun(
  ctx: CollaborationContext,
  syncId: string,
  ms: number,
): Promise<RunRow | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const run = await getRun(ctx.kernel.db.kysely, syncId);
    if (!run || ['failed', 'completed', 'completed_with_failures'].includes(run.status) || Date.now() > until)
      return run;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function runJson(r: RunRow, withHistory: boolean) {
  return {
    syncId: r.id,
    syncExecType: r.exec_type,
    startTime: r.start_time === null ? null : Number(r.start_time),
    endTime: r.end_time === null ? null : Number(r.end_time),
    status: r.status,
    summary: JSON.parse(r.summary) as Record<string, number>,
    ...(withHistory ? { history: JSON.parse(r.history) as Record<string, unknown> } : {}),
  };
}

export async function syncStatus(
  ctx: CollaborationContext,
  collaborationId: string,
  workspaceId: string,
  syncId?: string,
) {
  await syncTarget(ctx, collaborationId, workspaceId);
  const db = ctx.kernel.db.kysely;
  if (syncId) {
    const run = await getRun(db, syncId);
    return { status: run && run.workspace_id === workspaceId ? [runJson(run, true)] : [] };
  }
  return { status: (await listRuns(db, workspaceId, 50)).map((r) => runJson(r, false)) };
}

/** configSync: whether and how this guest syncs the workspace. */
export async function configSync(ctx: CollaborationContext, collaborationId: string, workspaceId: string) {
  const { w, host } = await syncTarget(ctx, collaborationId, workspaceId);
  return {
    success: true as const,
    workspaceId: w.id,
    accessMode: modeIn(host, w.id) ?? null,
    hostPortalUrl: host.url,
    partnerState: host.state,
    ...linkOf(w),
  };
}
