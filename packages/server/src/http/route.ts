import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { BadRequest, Forbidden } from '../errors/common.ts';
import { MeridianError } from '../errors/meridian-error.ts';
import type { Caller } from './context.ts';
import { requireCaller } from './require-caller.ts';

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: false, strict: false });

/** Parameters every ArcGIS endpoint accepts besides its own. */
const commonParams = {
  f: { type: 'string', enum: ['json', 'pjson', 'html'], description: 'Response format.' },
  token: { type: 'string', description: 'An access token (also accepted as Authorization: Bearer).' },
} as const;

export type JsonSchemaProps = Record<string, Record<string, unknown>>;

export interface RouteSpec<A> {
  method: HTTPMethods | HTTPMethods[];
  url: string;
  /** Parameters from the query string and the form/multipart/JSON body, merged. */
  params?: JsonSchemaProps;
  required?: string[];
  summary: string;
  tags?: string[];
  /** 'public': anyone; 'user': a signed-in caller; 'admin': org_admin; or a privilege name. */
  auth: 'public' | 'user' | 'admin' | { privilege: string };
  handler: (req: FastifyRequest, args: A, reply: FastifyReply) => Promise<unknown> | unknown;
}

function describeAjvError(v: ValidateFunction): string {
  const e = v.errors?.[0];
  if (!e) return 'invalid parameters';
  if (e.keyword === 'additionalProperties')
    return `Unknown parameter '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  if (e.keyword === 'required')
    return `Missing required parameter '${(e.params as { missingProperty: string }).missingProperty}'`;
  const name = e.instancePath.replace(/^\//, '');
  return `Parameter '${name}' ${e.message ?? 'is invalid'}`;
}

function checkAuth(caller: Caller | undefined, auth: RouteSpec<unknown>['auth']): void {
  if (auth === 'public') return;
  const c = requireCaller(caller);
  if (auth === 'user') return;
  if (auth === 'admin' ? c.role !== 'org_admin' : !c.privileges.includes(auth.privilege))
    throw new MeridianError(
      Forbidden,
      'You do not have permissions to access this resource or perform this operation.',
    );
}

/**
 * Registers an ArcGIS-style endpoint: GET and POST alike, parameters from the query or the
 * body, validated against one JSON schema (unknown parameters refused), `f=pjson` pretty-printed.
 * The schema also documents the route in the generated OpenAPI.
 */
export function route<A = Record<string, unknown>>(app: FastifyInstance, spec: RouteSpec<A>): void {
  const schema = {
    type: 'object',
    properties: { ...commonParams, ...(spec.params ?? {}) },
    required: spec.required ?? [],
    additionalProperties: false,
  };
  const validate = ajv.compile(schema);
  app.route({
    method: spec.method,
    url: spec.url,
    schema: { summary: spec.summary, tags: spec.tags ?? [], querystring: schema },
    // Validation happens below on the merged parameters, not on the query string alone.
    validatorCompiler: () => () => true,
    handler: async (req, reply) => {
      checkAuth(req.caller, spec.auth);
      const args = { ...req.args };
      if (!validate(args)) throw new MeridianError(BadRequest, `${describeAjvError(validate)}.`);
      const result = await spec.handler(req, args as A, reply);
      if (reply.sent) return reply;
      if (args.f === 'pjson') return reply.type('application/json').send(JSON.stringify(result, null, 2));
      return result;
    },
  });
}
