/**
 * The GIS server's jobs (publishing) in its administrator API: /arcgis/admin/jobs, …/jobs/<id>
 * and …/jobs/<id>/cancel.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import type { Job } from '../../kernel/jobs/job.ts';
import type { JobService } from '../../kernel/jobs/job-service.ts';
import { JobListParams, listJobs } from '../../kernel/jobs/routes.ts';
import { JobJson, JobListJson } from '../../kernel/jobs/schemas.ts';

import { checkIsAdmin, checkMayPublish } from './access.ts';
import { PUBLISH_JOB } from './publish-job.ts';

const TAGS = ['gis-server', 'admin', 'jobs'];

export function registerAdminJobRoutes(app: FastifyInstance, jobs: JobService): void {
  route(app, {
    method: ['GET', 'POST'],
    url: '/arcgis/admin/jobs',
    summary: "The server's jobs (publishing), newest first: {jobs, total, start, num, nextStart}.",
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object(JobListParams),
    response: JobListJson,
    handler: (_req, a) => listJobs(jobs, a),
  });

  route(app, {
    method: ['GET', 'POST'],
    url: '/arcgis/admin/jobs/:id',
    summary:
      'One job: status, progress {done, total, message}, result (the service URL) or error (administrators; a publisher its own publish jobs).',
    tags: TAGS,
    auth: 'user',
    errors: 'portaladmin',
    response: JobJson,
    handler: async (req) => mayWatch(req.caller, await jobs.get((req.params as { id: string }).id)),
  });

  route(app, {
    method: 'POST',
    url: '/arcgis/admin/jobs/:id/cancel',
    summary:
      'Cancels a job (administrators; a publisher its own publish jobs): a queued one at once, a running publish stops its ingest and leaves nothing behind. Answers the job.',
    tags: TAGS,
    auth: 'user',
    errors: 'portaladmin',
    response: JobJson,
    handler: async (req) => {
      const job = mayWatch(req.caller, await jobs.get((req.params as { id: string }).id));
      return jobs.cancel(job.id);
    },
  });
}

/** A job its caller may see and cancel: any for administrators, their own publish jobs for publishers. */
function mayWatch(callerIn: Parameters<typeof checkMayPublish>[0], job: Job): Job {
  const caller = checkMayPublish(callerIn);
  const own = job.kind === PUBLISH_JOB && (job.input as { owner?: string }).owner === caller.username;
  if (caller.role !== 'org_admin' && !own) checkIsAdmin(caller);
  return job;
}
