import type {
  JOB_STATUS_VALUES,
  JobJson,
  JobListJson,
  JobProgressJson,
} from '@meridian/server/kernel/jobs/schemas.ts';
import { request } from './client.ts';

export type JobStatus = (typeof JOB_STATUS_VALUES)[number];
/** The statuses, for the filter (each one checked by the type to be one of the server's). */
export const JOB_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const satisfies readonly JobStatus[];

/** Done, total (null while the job does not know how much there is to do) and a message. */
export type JobProgress = JobProgressJson;

/** A long operation of the portal (an aggregate ingest, a sync, a certificate issuance). */
export type Job = JobJson;

export type JobList = JobListJson;

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
