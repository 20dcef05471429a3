import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { numParam, START_PARAM } from '../../http/paging-params.ts';
import { route } from '../../http/route.ts';
import { StringEnum } from '../../http/schemas.ts';
import type { PipelineRunner } from './runner.ts';
import { TRACE_OUTCOMES, TraceJson, TraceListJson } from './schemas.ts';

const TAGS = ['portaladmin', 'traces'];

/** GET portaladmin/traces and portaladmin/traces/<id>: what each pipeline run did, step by step. */
export function registerTraceRoutes(app: FastifyInstance, deps: { pipelines: PipelineRunner }): void {
  route(app, {
    method: 'GET',
    url: '/portaladmin/traces',
    summary:
      'Traces of pipeline runs (TLS diagnoses, …), newest first: {traces, total, start, num, nextStart}.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({
      pipeline: Type.Optional(
        Type.String({ maxLength: 100, description: 'Only runs of this pipeline (e.g. tls.diagnose).' }),
      ),
      outcome: Type.Optional(StringEnum(TRACE_OUTCOMES, { description: 'Only runs with this outcome.' })),
      start: START_PARAM,
      num: numParam(100),
    }),
    response: TraceListJson,
    handler: (_req, a) =>
      deps.pipelines.list({ pipeline: a.pipeline, outcome: a.outcome, start: a.start, num: a.num }),
  });

  route(app, {
    method: 'GET',
    url: '/portaladmin/traces/:id',
    summary:
      'One trace: the pipeline, its subject, outcome, and each step with its outcome, time and detail.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: TraceJson,
    handler: (req) => deps.pipelines.get((req.params as { id: string }).id),
  });
}
