import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { BadRequest, Forbidden } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { Caller } from './caller.ts';
import { requireCaller } from './require-caller.ts';
import type { UploadedFile } from './uploaded-file.ts';

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
  /**
   * The multipart file parts this route takes (name → description), read with
   * uploadOf(req, name). A value of the same name anywhere else (JSON, form, query) is refused.
   */
  files?: Record<string, string>;
  /**
   * Checks that go beyond `auth` and need only the URL (for example: the caller is the user
   * named in the path). Runs before any file part is written and again before the handler.
   */
  authorize?: (req: FastifyRequest, caller: Caller | undefined) => Promise<void> | void;
  handler: (req: FastifyRequest, args: A, reply: FastifyReply) => Promise<unknown> | unknown;
}

/** What the request hooks need to know about a route before its handler runs. */
export interface RouteGate {
  auth: RouteSpec<unknown>['auth'];
  fileFields: ReadonlySet<string>;
  authorize?: RouteSpec<unknown>['authorize'];
}

/** The gate of the route a request matched, or undefined (404, static files). */
export function routeGate(req: FastifyRequest): RouteGate | undefined {
  return (req.routeOptions.config as { gate?: RouteGate } | undefined)?.gate;
}

/** Refuses a caller the route does not admit: its auth level, then its own authorize check. */
export async function admitCaller(req: FastifyRequest, gate: RouteGate): Promise<void> {
  checkAuth(req.caller, gate.auth);
  await gate.authorize?.(req, req.caller);
}

/** The file part `name` of a multipart request, if it had one. */
export function uploadOf(req: FastifyRequest, name: string): UploadedFile | undefined {
  return req.uploads?.get(name);
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
  const files = Object.keys(spec.files ?? {});
  const gate: RouteGate = { auth: spec.auth, fileFields: new Set(files), authorize: spec.authorize };
  app.route({
    method: spec.method,
    url: spec.url,
    config: { gate },
    schema: {
      summary: spec.summary,
      tags: spec.tags ?? [],
      querystring: schema,
      ...(files.length
        ? {
            consumes: ['multipart/form-data'],
            body: {
              type: 'object',
              properties: Object.fromEntries(
                files.map((f) => [f, { type: 'string', format: 'binary', description: spec.files![f] }]),
              ),
            },
          }
        : {}),
    },
    // Validation happens below on the merged parameters, not on the query string alone.
    validatorCompiler: () => () => true,
    handler: async (req, reply) => {
      try {
        await admitCaller(req, gate);
        const args = { ...req.args };
        // A file parameter arrives only as a file part; a text value of that name is refused
        // unless the route also takes it as text (a client echoing item.thumbnail, say).
        for (const name of files)
          if (Object.hasOwn(args, name) && !spec.params?.[name])
            throw new MeridianError(
              BadRequest,
              `'${name}' must be sent as a file part of a multipart/form-data request.`,
            );
        if (!validate(args)) throw new MeridianError(BadRequest, `${describeAjvError(validate)}.`);
        const result = await spec.handler(req, args as A, reply);
        if (reply.sent) return reply;
        if (args.f === 'pjson') return reply.type('application/json').send(JSON.stringify(result, null, 2));
        return result;
      } finally {
        // Files the handler did not move into a store are removed as soon as it returns.
        for (const f of req.uploads?.values() ?? []) await f.discard();
      }
    },
  });
}
