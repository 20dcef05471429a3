import type { JobStatus } from '../api/jobs.ts';
import type { StepOutcome, TraceOutcome } from '../api/traces.ts';

/** A moment to the second (jobs and traces are read to the second). */
export function formatMoment(ms: number | null | undefined): string {
  if (!ms || !Number.isFinite(ms)) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** 850 → "850 ms", 1530 → "1.5 s", 95_000 → "1 min 35 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/** A badge's words and colour class (badge-ok, badge-warn, badge-bad, badge-info). */
export interface BadgeLook {
  label: string;
  kind: 'ok' | 'warn' | 'bad' | 'info';
}

export const JOB_STATUS_LOOK: Record<JobStatus, BadgeLook> = {
  queued: { label: 'Queued', kind: 'info' },
  running: { label: 'Running', kind: 'info' },
  succeeded: { label: 'Succeeded', kind: 'ok' },
  failed: { label: 'Failed', kind: 'bad' },
  cancelled: { label: 'Cancelled', kind: 'warn' },
};

export const TRACE_OUTCOME_LOOK: Record<TraceOutcome, BadgeLook> = {
  succeeded: { label: 'Succeeded', kind: 'ok' },
  failed: { label: 'Failed', kind: 'bad' },
};

export const STEP_OUTCOME_LOOK: Record<StepOutcome, BadgeLook> = {
  ok: { label: 'OK', kind: 'ok' },
  flagged: { label: 'Flagged', kind: 'warn' },
  failed: { label: 'Failed', kind: 'bad' },
};
