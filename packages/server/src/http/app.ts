import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerFactory } from 'fastify';
import { registerContentRoutes } from '../content/routes.ts';
import { registerIdentityRoutes } from '../identity/routes.ts';
import { BadRequest, SslRequired } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { logSerializers } from '../kernel/log/log-safe.ts';
import { registerPkiRoutes } from '../pki/routes/register.ts';
import { registerPortalRoutes } from '../portal/routes.ts';
import type { HttpsPolicy } from '../tls/https-policy.ts';
import { createAuthenticator } from '../tokens/authenticate.ts';
import { registerTokenRoutes } from '../tokens/routes.ts';
import { presentedToken } from '../tokens/token-sources.ts';
import { AccessLog } from './access-log.ts';
import { mergeArgs, queryArgs } from './args.ts';
import type { AppContext } from './context.ts';
import { renderError } from './error-render.ts';
import { checkJsonDepth } from './json-body.ts';
import { readMultipart } from './multipart.ts';
import { admitCaller, routeGate } from './route.ts';
import { registerStaticUi } from './static-ui.ts';
import { UploadBudget } from './upload-budget.ts';

export interface BuildAppOptions {
  serverFactory?: FastifyServerFactory;
  /** HSTS and "SSL Required" for requests that arrive over plain HTTP (http.mode serve). */
  httpsPolicy?: HttpsPolicy;
  /** Logger instance or options (pino); false for none. */
  logger?: boolean | object;
}

/** Assembles the portal's HTTP application: parsers, auth, the domains' routes, errors, the UI. */
export async function buildApp(
  ctx: Omit<AppContext, 'log'>,
  opts: BuildAppOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: ctx.config.log.level,
            serializers: logSerializers,
            redact: [
              'req.headers.authorization',
              'req.headers.cookie',
              'req.headers["x-esri-authorization"]',
            ],
            ...(typeof opts.logger === 'object' ? opts.logger : {}),
          },
    bodyLimit: ctx.config.body.maxBytes,
    logController: new AccessLog(ctx.config.log.accessLog),
    ...(opts.serverFactory ? { serverFactory: opts.serverFactory } : {}),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 500 },
  });
  const full: AppContext = { ...ctx, log: app.log };
  app.decorate('ctx', full);
  app.decorateRequest('args', null as unknown as Record<string, unknown>);
  app.decorateRequest('caller', undefined);
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

  const policy = opts.httpsPolicy;
  if (policy) {
    app.addHook('onRequest', async (req) => {
      const encrypted = (req.raw.socket as { encrypted?: boolean }).encrypted === true;
      if (!encrypted && (await policy.requiresHttps(req.url.split('?')[0]!)))
        throw new MeridianError(SslRequired, 'SSL Required');
    });
    app.addHook('onSend', async (req, reply) => {
      const hsts = policy.hsts();
      if (hsts && (req.raw.socket as { encrypted?: boolean }).encrypted)
        reply.header('strict-transport-security', hsts);
    });
  }

  const authenticate = createAuthenticator(full);
  const budget = new UploadBudget(ctx.config.uploads.preAuthTotalBytes);
  const tmpDir = join(ctx.config.home, 'tmp');
  app.addHook('preHandler', async (req, reply) => {
    if (!req.isMultipart()) {
      mergeArgs(req);
      req.caller = await authenticate(req);
      return;
    }
    const gate = routeGate(req);
    const query = queryArgs(req);
    try {
      const body = await readMultipart(req, {
        fileFields: gate?.fileFields ?? new Set(),
        tmpDir,
        budget,
        limits: {
          fileBytes: ctx.config.uploads.maxBytes,
          fieldBytes: ctx.config.body.maxBytes,
          preAuthBytes: ctx.config.uploads.preAuthMaxBytes,
          files: 4,
          fields: 200,
        },
        // A file part is written only for a caller who is known and may use the route.
        admit: async (fields) => {
          req.args = { ...query, ...fields };
          if (!presentedToken(req)) return gate?.auth === 'public';
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
  });
  app.addHook('onResponse', async (req) => {
    // A safety net: route() discards uploads when its handler returns.
    for (const f of req.uploads?.values() ?? []) await f.discard();
  });

  app.setErrorHandler((err, req, reply) => renderError(req, reply, err));
  app.setNotFoundHandler((req, reply) =>
    renderError(
      req,
      reply,
      new MeridianError(BadRequest, `Invalid URL: ${req.url.split('?')[0]} is not a resource here.`),
    ),
  );

  await registerPortalRoutes(app, full);
  await registerTokenRoutes(app, full);
  await registerIdentityRoutes(app, full);
  await registerContentRoutes(app, full);
  await registerPkiRoutes(app, full);
  await registerStaticUi(app);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
