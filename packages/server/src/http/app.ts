import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerFactory,
} from 'fastify';
import { BadRequest, SslRequired } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { AccessLog } from './access-log.ts';
import { mergeArgs, queryArgs } from './args.ts';
import type { Authenticator } from './caller.ts';
import { renderError } from './error-render.ts';
import { checkJsonDepth } from './json-body.ts';
import { readMultipart } from './multipart.ts';
import { measureRequests } from './request-metrics.ts';
import { admitCaller, routeGate } from './route.ts';
import { registerStaticUi, type UiSources } from './static-ui.ts';
import { UploadBudget } from './upload-budget.ts';

/** HSTS and "SSL Required" for requests that arrive over plain HTTP (http.mode serve). */
export interface HttpsPolicy {
  /** The Strict-Transport-Security value, when HSTS is on. */
  hsts(): string | undefined;
  /** Whether a request for `path` that arrived over plain HTTP must be refused with "SSL Required". */
  requiresHttps(path: string): Promise<boolean>;
}

export interface AppOptions {
  serverFactory?: FastifyServerFactory;
  httpsPolicy?: HttpsPolicy;
  /** Finds a request's caller (the tokens module). */
  authenticate: Authenticator;
  /** Whether a request presents a credential yet (a multipart body may bring its token late). */
  presentsCredential(req: FastifyRequest): boolean;
  /** The composed modules' route registrations, in order. */
  routes: ReadonlyArray<(app: FastifyInstance) => void | Promise<void>>;
  /** Serve the web UI under /home/. */
  ui?: boolean;
  /** The other origins the web UI's pages reach (its Content-Security-Policy). */
  uiSources?: UiSources;
}

function isEncrypted(req: FastifyRequest): boolean {
  return (req.raw.socket as { encrypted?: boolean }).encrypted === true;
}

/**
 * Assembles a node's HTTP application: parsers, the caller of each request, the routes of the
 * role's modules, the error renderers, and (for the portal) the web UI. It knows no module.
 */
export async function buildApp(kernel: Kernel, opts: AppOptions): Promise<FastifyInstance> {
  const { config } = kernel;
  const app = Fastify({
    loggerInstance: kernel.log,
    bodyLimit: config.body.maxBytes,
    logController: new AccessLog(config.log.accessLog),
    ...(opts.serverFactory ? { serverFactory: opts.serverFactory } : {}),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 500 },
  }) as unknown as FastifyInstance;
  app.decorateRequest('args', null as unknown as Record<string, unknown>);
  app.decorateRequest('caller', undefined);
  app.decorateRequest('appCaller', undefined);
  app.decorateRequest('uploads', undefined);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Meridian', version: '0.1.0', description: 'Sharing API, portal administrator API' },
    },
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyCookie);
  // Registers the multipart content type without reading the body: the preHandler below reads
  // it once the route (and so which files it takes, and who may call it) is known.
  await app.register(fastifyMultipart, { throwFileSizeLimit: false });
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    try {
      checkJsonDepth(body as string);
    } catch (err) {
      done(err as Error, undefined);
      return;
    }
    defaultJson(req, body as string, done);
  });

  // The hooks below run on every request: they take Fastify's callback so that the common case
  // (HTTPS, no file, no credential) costs no promise.
  const policy = opts.httpsPolicy;
  if (policy) {
    app.addHook('onRequest', (req, _reply, done) => {
      if (isEncrypted(req)) return done();
      policy
        .requiresHttps(req.url.split('?')[0]!)
        .then(
          (required) => done(required ? new MeridianError(SslRequired, 'SSL Required') : undefined),
          done,
        );
    });
    app.addHook('onSend', (req, reply, payload, done) => {
      const hsts = policy.hsts();
      if (hsts && isEncrypted(req)) reply.header('strict-transport-security', hsts);
      done(null, payload);
    });
  }

  const authenticate = opts.authenticate;
  const budget = new UploadBudget(config.uploads.preAuthTotalBytes);
  const tmpDir = join(config.home, 'tmp');
  // A multipart body is read once the route (its files, who may call it) is known.
  const readBody = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const gate = routeGate(req);
    const query = queryArgs(req);
    try {
      const body = await readMultipart(req, {
        fileFields: gate?.fileFields ?? new Set(),
        tmpDir,
        budget,
        limits: {
          fileBytes: config.uploads.maxBytes,
          fieldBytes: config.body.maxBytes,
          preAuthBytes: config.uploads.preAuthMaxBytes,
          files: 4,
          fields: 200,
        },
        // A file part is written only for a caller who is known and may use the route.
        admit: async (fields) => {
          req.args = { ...query, ...fields };
          if (!opts.presentsCredential(req)) return gate?.auth === 'public';
          req.caller = await authenticate(req);
          if (gate) await admitCaller(req, gate);
          return true;
        },
      });
      req.args = { ...query, ...body.fields };
      req.uploads = body.files;
    } catch (err) {
      // The rest of a refused body is not read: the connection closes after the answer.
      reply.header('connection', 'close');
      throw err;
    }
    req.caller = await authenticate(req);
  };
  app.addHook('preHandler', (req, reply, done) => {
    if (req.isMultipart()) {
      readBody(req, reply).then(() => done(), done);
      return;
    }
    try {
      mergeArgs(req);
    } catch (err) {
      return done(err as Error);
    }
    if (!opts.presentsCredential(req)) return done();
    authenticate(req).then((caller) => {
      req.caller = caller;
      done();
    }, done);
  });
  app.addHook('onResponse', (req, _reply, done) => {
    // A safety net: route() discards uploads when its handler returns.
    if (!req.uploads?.size) return done();
    Promise.all([...req.uploads.values()].map((f) => f.discard())).then(() => done(), done);
  });

  // Off by default: then not even a hook is added to the requests' path.
  if (kernel.metrics) measureRequests(app, kernel.metrics);

  app.setErrorHandler((err, req, reply) => renderError(req, reply, err));
  app.setNotFoundHandler((req, reply) =>
    renderError(
      req,
      reply,
      new MeridianError(BadRequest, `Invalid URL: ${req.url.split('?')[0]} is not a resource here.`),
    ),
  );

  for (const register of opts.routes) await register(app);
  if (opts.ui) await registerStaticUi(app, opts.uiSources);
  return app;
}
