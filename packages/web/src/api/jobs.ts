import { request } from './client.ts';
import type { PageEnvelope } from './paging.ts';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobProgress {
  done: number;
  /** Null (or 0) while the job does not know how much there is to do. */
  total: number | null;
  message?: string;
}

/** A long operation of the portal (an aggregate ingest, a sync, a certificate issuance). */
export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  progress: JobProgress;
  /** Epoch ms. */
  created: number;
  started?: number | null;
  finished?: number | null;
  error?: { code: string; message: string } | null;
  result?: unknown;
  /** Cancel was asked for a running job, which has not stopped yet. */
  cancelRequested?: boolean;
}

export interface JobList extends PageEnvelope {
  jobs: Job[];
}

export interface JobFilter {
  status?: JobStatus;
  kind?: string;
  start?: number;
  num?: number;
}

/** Jobs, newest first (administrators). */
export function listJobs(filter: JobFilter = {}): Promise<JobList> {
  return request('/portaladmin/jobs', { query: { ...filter } });
}

/** Asks a queued or running job to stop; it ends as `cancelled`. */
export function cancelJob(id: string): Promise<{ status: string }> {
  return request(`/portaladmin/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST', form: {} });
}

/** A job that has not ended yet: its progress changes, and it can be cancelled. */
export function isActive(job: Job): boolean {
  return job.status === 'queued' || job.status === 'running';
}
