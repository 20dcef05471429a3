import { type Static, type TObject, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { numParam, START_PARAM } from '../../http/paging-params.ts';
import { route } from '../../http/route.ts';
import { StatusSuccess, StringEnum } from '../../http/schemas.ts';
import { JOB_STATUSES } from './job.ts';
import type { JobService } from './job-service.ts';
import { JobJson, JobListJson } from './schemas.ts';

const TAGS = ['portaladmin', 'jobs'];
const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;

/** A job listing's filters and page: portaladmin/jobs, and every role's own jobs route. */
export const JobListParams = {
  status: Type.Optional(StringEnum(JOB_STATUSES, { description: 'Only jobs in this status.' })),
  kind: Type.Optional(Type.String({ maxLength: 100, description: 'Only jobs of this kind.' })),
  start: START_PARAM,
  num: numParam(100),
};

/** The page of jobs JobListParams ask for, newest first. */
export function listJobs(jobs: Pick<JobService, 'list'>, a: Static<TObject<typeof JobListParams>>) {
  return jobs.list({ status: a.status, kind: a.kind, start: a.start, num: a.num });
}

/** GET portaladmin/jobs, jobs/<id>; POST jobs/<id>/cancel. */
export function registerJobRoutes(app: FastifyInstance, deps: { jobs: JobService }): void {
  route(app, {
    method: 'GET',
    url: '/portaladmin/jobs',
    summary: 'Jobs (long operations), newest first: {jobs, total, start, num, nextStart}.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object(JobListParams),
    response: JobListJson,
    handler: (_req, a) => listJobs(deps.jobs, a),
  });

  route(app, {
    method: 'GET',
    url: '/portaladmin/jobs/:id',
    summary: 'One job: status, progress {done, total, message}, input, result, error, times, node.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: JobJson,
    handler: (req) => deps.jobs.get(idOf(req)),
  });

  route(app, {
    method: 'POST',
    url: '/portaladmin/jobs/:id/cancel',
    summary:
      'Cancels a job: a queued one at once, a running one as soon as the node running it sees the request.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: StatusSuccess({}),
    handler: async (req) => {
      await deps.jobs.cancel(idOf(req));
      return { status: 'success' };
    },
  });
}
