import type { Static, TObject, TProperties, TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { BadRequest, Forbidden } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { Caller } from './caller.ts';
import type { ErrorStyle } from './error-style.ts';
import { requireCaller } from './require-caller.ts';
import { responseCheck } from './response-check.ts';
import { StringEnum } from './schemas.ts';
import type { UploadedFile } from './uploaded-file.ts';

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: false, strict: false });

/** Parameters every ArcGIS endpoint accepts besides its own. */
const commonParams = {
  f: Type.Optional(StringEnum(['json', 'pjson', 'html'], { description: 'Response format.' })),
  token: Type.Optional(
    Type.String({ description: 'An access token (also accepted as Authorization: Bearer).' }),
  ),
};

type CommonArgs = Static<TObject<typeof commonParams>>;

const FILE = Symbol('file response');

/** An answer that is not JSON: a file, an image, a text as stored. */
export interface FileResponse {
  readonly [FILE]: true;
  readonly description: string;
  readonly contentTypes: readonly string[];
}

/** Declares a route's answer as a file of one of these content types (documented, not serialized). */
export function fileResponse(
  description: string,
  contentTypes: readonly string[] = ['application/octet-stream'],
): FileResponse {
  return { [FILE]: true, description, contentTypes };
}

function isFileResponse(r: TSchema | FileResponse): r is FileResponse {
  return (r as Partial<FileResponse>)[FILE] === true;
}

export interface RouteSpec<P extends TProperties, R extends TSchema | FileResponse> {
  method: HTTPMethods | HTTPMethods[];
  url: string;
  /**
   * Parameters from the query string and the form/multipart/JSON body, merged: one TypeBox
   * object, which validates them (unknown parameters refused) and types the handler's args.
   */
  params?: TObject<P>;
  /** The success answer: a TypeBox schema (JSON, checked against it) or a file. */
  response: R;
  /**
   * How errors are rendered: the Sharing API's {"error":{…}} (arcgis, the default), the
   * administrator API's {"status":"error",…} (portaladmin), or a page (html, browser flows).
   */
  errors?: ErrorStyle;
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
  handler: (
    req: FastifyRequest,
    args: Static<TObject<P>> & CommonArgs,
    reply: FastifyReply,
  ) => Promise<unknown> | unknown;
}

/** What the request hooks and the error renderer need to know about a route. */
export interface RouteGate {
  auth: RouteSpec<TProperties, TSchema>['auth'];
  fileFields: ReadonlySet<string>;
  authorize?: RouteSpec<TProperties, TSchema>['authorize'];
}

/** What route() keeps in a route's config (read by the hooks, the error renderer and the docs). */
export interface RouteConfig {
  gate: RouteGate;
  errors: ErrorStyle;
  /** The declared answer: a schema, or a file. */
  response: TSchema | FileResponse;
}

/** The config route() gave the route a request matched, or undefined (404, static files). */
export function routeConfig(req: FastifyRequest): RouteConfig | undefined {
  const c = req.routeOptions.config as Partial<RouteConfig> | undefined;
  return c?.gate ? (c as RouteConfig) : undefined;
}

/** The gate of the route a request matched, or undefined (404, static files). */
export function routeGate(req: FastifyRequest): RouteGate | undefined {
  return routeConfig(req)?.gate;
}

/** Refuses a caller the route does not admit: its auth level, then its own authorize check. */
export async function admitCaller(req: FastifyRequest, gate: RouteGate): Promise<void> {
  if (!req.caller && req.appCaller && gate.auth !== 'public')
    throw new MeridianError(
      Forbidden,
      'An app token (client_credentials) acts as the app, not as a user: it reads what is shared publicly. Sign a user in for this.',
    );
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

function checkAuth(caller: Caller | undefined, auth: RouteGate['auth']): void {
  if (auth === 'public') return;
  const c = requireCaller(caller);
  if (auth === 'user') return;
  if (auth === 'admin' ? c.role !== 'org_admin' : !c.privileges.includes(auth.privilege))
    throw new MeridianError(
      Forbidden,
      'You do not have permissions to access this resource or perform this operation.',
    );
}

const serializeJson = (data: unknown) => JSON.stringify(data);

/** The route's answer as Fastify's response schema: documented (the OpenAPI document). */
function responseSchema(response: TSchema | FileResponse): Record<string, unknown> {
  if (!isFileResponse(response)) return { 200: response };
  const binary = { type: 'string', format: 'binary' };
  return {
    200: {
      description: response.description,
      content: Object.fromEntries(response.contentTypes.map((t) => [t, { schema: binary }])),
    },
  };
}

/**
 * Registers an ArcGIS-style endpoint: GET and POST alike, parameters from the query or the
 * body, validated against one schema (unknown parameters refused), the answer checked against
 * the response schema, `f=pjson` pretty-printed, errors in the route's style.
 * The schemas also document the route in the generated OpenAPI.
 */
export function route<
  P extends TProperties = Record<never, TSchema>,
  R extends TSchema | FileResponse = TSchema,
>(app: FastifyInstance, spec: RouteSpec<P, R>): void {
  const schema = {
    type: 'object',
    properties: { ...commonParams, ...(spec.params?.properties ?? {}) },
    required: spec.params?.required ?? [],
    additionalProperties: false,
  };
  const validate = ajv.compile(schema);
  const files = Object.keys(spec.files ?? {});
  const errors = spec.errors ?? 'arcgis';
  const gate: RouteGate = { auth: spec.auth, fileFields: new Set(files), authorize: spec.authorize };
  const config: RouteConfig = { gate, errors, response: spec.response };
  const check = isFileResponse(spec.response)
    ? undefined
    : responseCheck(spec.response, `${[spec.method].flat().join('|')} ${spec.url}`);
  app.route({
    method: spec.method,
    url: spec.url,
    config,
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
      response: responseSchema(spec.response),
      'x-meridian-errors': errors,
    },
    // Validation happens below on the merged parameters, not on the query string alone.
    validatorCompiler: () => () => true,
    // The answer is checked against its schema below; V8's JSON.stringify then writes it faster
    // than fast-json-stringify does on Node 24 (measured: the same for a search page, twice as
    // fast for community/self), and keeps the fields in the handler's order.
    serializerCompiler: () => serializeJson,
    handler: async (req, reply) => {
      try {
        await admitCaller(req, gate);
        const args = { ...req.args };
        // A file parameter arrives only as a file part; a text value of that name is refused
        // unless the route also takes it as text (a client echoing item.thumbnail, say).
        for (const name of files)
          if (Object.hasOwn(args, name) && !spec.params?.properties[name])
            throw new MeridianError(
              BadRequest,
              `'${name}' must be sent as a file part of a multipart/form-data request.`,
            );
        if (!validate(args)) throw new MeridianError(BadRequest, `${describeAjvError(validate)}.`);
        const result = await spec.handler(req, args as Static<TObject<P>> & CommonArgs, reply);
        if (result === reply || reply.sent) return reply;
        check?.(result);
        if (args.f === 'pjson') return reply.type('application/json').send(JSON.stringify(result, null, 2));
        return result;
      } finally {
        // Files the handler did not move into a store are removed as soon as it returns.
        for (const f of req.uploads?.values() ?? []) await f.discard();
      }
    },
  });
}
