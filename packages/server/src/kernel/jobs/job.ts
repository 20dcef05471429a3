import type { JobsTable } from './tables.ts';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** Statuses a job never leaves. */
export const ENDED: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export interface JobProgress {
  done: number;
  /** Unknown when null. */
  total: number | null;
  message: string;
}

/** A job as the admin API, the UI and the CLI show it. Times are epoch ms. */
export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  progress: JobProgress;
  input: unknown;
  result: unknown;
  error: { code: string; message: string } | null;
  created: number;
  started: number | null;
  finished: number | null;
  modified: number;
  cancelRequested: boolean;
  resumable: boolean;
  attempts: number;
  /** The node running it, or that ran it last; for a queued local job, the only node that may run it. */
  node: string | null;
}

/** What a handler gets. */
export interface JobContext<I> {
  id: string;
  input: I;
  /**
   * Reports progress; cheap to call per row: it is written to the database at most once per
   * progress interval (and when the job ends).
   */
  progress(done: number, total?: number | null, message?: string): void;
  /** Aborted when the job is cancelled, or when this node lost the job's lease. */
  signal: AbortSignal;
  /** 1 for the first run; more when a resumable job is taken over after its node stopped. */
  attempt: number;
  /** For a resumable job taken over: the progress its last run had written. */
  resumeFrom: JobProgress | undefined;
}

/** Does the work; its return value (JSON) is the job's result. Throw to fail it. */
export type JobHandler<I = unknown, R = unknown> = (ctx: JobContext<I>) => Promise<R>;

export function toJob(row: JobsTable): Job {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status as JobStatus,
    progress: {
      done: Number(row.progress_done),
      total: row.progress_total === null ? null : Number(row.progress_total),
      message: row.progress_message,
    },
    input: JSON.parse(row.input),
    result: row.result === null ? null : JSON.parse(row.result),
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    created: Number(row.created),
    started: row.started === null ? null : Number(row.started),
    finished: row.finished === null ? null : Number(row.finished),
    modified: Number(row.modified),
    cancelRequested: Number(row.cancel_requested) === 1,
    resumable: Number(row.resumable) === 1,
    attempts: Number(row.attempts),
    node: row.lease_owner,
  };
}
