/**
 * Sync schedules on the guest (workspaces/<id>/schedule, update, pause, resume, delete) and the
 * tick that starts due runs: of several nodes, the one that moves next_run (compare and set)
 * starts the run, so a scheduled sync runs on exactly one node.
 */
import type { CollaborationContext } from './context.ts';
import { invalid } from './input.ts';
import {
  claimSchedule,
  deleteSchedule,
  dueSchedules,
  getSchedule,
  putSchedule,
  type ScheduleRow,
  updateSchedule,
} from './run-store.ts';
import { notFound } from './store.ts';
import { syncTarget } from './sync-run.ts';
import { startSync } from './sync-service.ts';

const HOUR = 3_600_000;

export interface ScheduleInput {
  startTime?: number | undefined;
  interval?: number | undefined;
  repeatCount?: number | undefined;
}

export function scheduleJson(s: ScheduleRow | undefined) {
  if (!s) return { schedule: null };
  return {
    schedule: {
      startTime: Number(s.start_time),
      interval: Number(s.interval_hours),
      repeatCount: Number(s.repeat_count),
      runs: Number(s.runs),
      nextRun: Number(s.next_run),
      state: s.state,
    },
  };
}

export async function readSchedule(ctx: CollaborationContext, cid: string, wid: string) {
  await syncTarget(ctx, cid, wid);
  return scheduleJson(await getSchedule(ctx.kernel.db.kysely, wid));
}

export async function updateScheduleOf(
  ctx: CollaborationContext,
  cid: string,
  wid: string,
  input: ScheduleInput,
) {
  await syncTarget(ctx, cid, wid);
  const db = ctx.kernel.db.kysely;
  const before = await getSchedule(db, wid);
  const now = ctx.kernel.clock.now();
  const interval = input.interval ?? Number(before?.interval_hours ?? 24);
  if (!Number.isInteger(interval) || interval < 1 || interval > 24 * 366)
    throw invalid("'interval' is in whole hours: 1 or more.");
  const repeat = input.repeatCount ?? Number(before?.repeat_count ?? -1);
  if (!Number.isInteger(repeat) || repeat < -1)
    throw invalid("'repeatCount' is -1 (for ever) or a count ≥ 0.");
  const start = input.startTime ?? Number(before?.start_time ?? now);
  if (!Number.isFinite(start) || start < 0) throw invalid("'startTime' is epoch milliseconds.");
  await putSchedule(db, {
    workspace_id: wid,
    collaboration_id: cid,
    start_time: start,
    interval_hours: interval,
    repeat_count: repeat,
    runs: 0,
    next_run: start,
    state: before?.state ?? 'active',
    modified: now,
  });
  return scheduleJson(await getSchedule(db, wid));
}

export async function setScheduleState(
  ctx: CollaborationContext,
  cid: string,
  wid: string,
  state: 'active' | 'paused',
) {
  await syncTarget(ctx, cid, wid);
  const db = ctx.kernel.db.kysely;
  const s = await getSchedule(db, wid);
  if (!s) throw notFound('schedule of workspace', wid);
  const changes: Partial<ScheduleRow> = { state, modified: ctx.kernel.clock.now() };
  // Resumed: the next run is the next interval boundary from now, not a burst of missed runs.
  if (state === 'active' && Number(s.next_run) < ctx.kernel.clock.now())
    changes.next_run = ctx.kernel.clock.now();
  await updateSchedule(db, wid, changes);
  return scheduleJson(await getSchedule(db, wid));
}

export async function removeSchedule(ctx: CollaborationContext, cid: string, wid: string) {
  await syncTarget(ctx, cid, wid);
  await deleteSchedule(ctx.kernel.db.kysely, wid);
}

/** Starts the due scheduled syncs once (the timer calls it; tests too); the sync ids started. */
export async function runDueSchedules(ctx: CollaborationContext): Promise<string[]> {
  const db = ctx.kernel.db.kysely;
  const now = ctx.kernel.clock.now();
  const started: string[] = [];
  for (const s of await dueSchedules(db, now)) {
    // repeatCount: the runs after the first (-1: for ever).
    const runs = Number(s.runs) + 1;
    const allowed = Number(s.repeat_count) < 0 ? Number.POSITIVE_INFINITY : Number(s.repeat_count) + 1;
    const next = Math.max(Number(s.next_run) + Number(s.interval_hours) * HOUR, now + 1);
    const ended = runs >= allowed;
    if (
      !(await claimSchedule(db, s.workspace_id, Number(s.next_run), {
        runs,
        next_run: next,
        ...(ended ? { state: 'ended' } : {}),
      }))
    )
      continue;
    try {
      const r = await startSync(ctx, s.collaboration_id, s.workspace_id, 'scheduled');
      if (r.started) started.push(r.syncId);
    } catch (err) {
      ctx.kernel.log.warn(
        { err, workspace: s.workspace_id },
        'a scheduled collaboration sync could not start',
      );
    }
  }
  return started;
}
