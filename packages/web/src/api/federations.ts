import type { FederationJson } from '@meridian/server/federations/schemas.ts';
import { request } from './client.ts';
import { ApiError } from './errors.ts';
import { type Job, listJobs } from './jobs.ts';

const REFRESH_JOB = 'federations.refresh';

/** A federation (the source of a federation login) and the state of its metadata. */
export type Federation = FederationJson;

export function getFederation(id: string): Promise<Federation> {
  return request(`/portaladmin/federations/${encodeURIComponent(id)}`);
}

/** Starts loading the federation's metadata again (a job); resolves with the job's id. */
export async function refreshFederation(id: string): Promise<string> {
  const r = await request<{ jobId: string }>(`/portaladmin/federations/${encodeURIComponent(id)}/refresh`, {
    method: 'POST',
    form: {},
  });
  return r.jobId;
}

/**
 * A refresh job, read from the list of refresh jobs (newest first): portaladmin/jobs/<id>
 * answers a failed job with its `error` member, which the client takes for an error answer.
 */
export async function getRefreshJob(id: string): Promise<Job> {
  const { jobs } = await listJobs({ kind: REFRESH_JOB, num: 20 });
  const job = jobs.find((j) => j.id === id);
  if (!job) throw new ApiError(404, `The refresh job ${id} is no longer listed.`);
  return job;
}
