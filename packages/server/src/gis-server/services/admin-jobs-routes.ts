/** The GIS server's jobs (publishing) in its administrator API: /arcgis/admin/jobs and …/jobs/<id>. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { numParam, START_PARAM } from '../../http/paging-params.ts';
import { route } from '../../http/route.ts';
import { StringEnum } from '../../http/schemas.ts';
import { JOB_STATUSES } from '../../kernel/jobs/job.ts';
import type { JobService } from '../../kernel/jobs/job-service.ts';
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
    params: Type.Object({
      status: Type.Optional(StringEnum(JOB_STATUSES, { description: 'Only jobs in this status.' })),
      kind: Type.Optional(Type.String({ maxLength: 100, description: 'Only jobs of this kind.' })),
      start: START_PARAM,
      num: numParam(100),
    }),
    response: JobListJson,
    handler: (_req, a) => jobs.list({ status: a.status, kind: a.kind, start: a.start, num: a.num }),
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
    handler: async (req) => {
      const job = await jobs.get((req.params as { id: string }).id);
      const caller = checkMayPublish(req.caller);
      const own = job.kind === PUBLISH_JOB && (job.input as { owner?: string }).owner === caller.username;
      if (caller.role !== 'org_admin' && !own) checkIsAdmin(caller);
      return job;
    },
  });
}
