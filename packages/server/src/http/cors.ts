import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The request headers ArcGIS clients send cross-origin (tokens travel as headers or parameters). */
const ALLOWED_HEADERS = 'Authorization, X-Esri-Authorization, Content-Type, X-Requested-With';

export interface CorsPolicy {
  /** The paths cross-origin apps may call (the API, not the sign-in pages). */
  applies(path: string): boolean;
  /** Whether an app at `origin` may read the answers. */
  allows(origin: string): boolean | Promise<boolean>;
}

/** A browser origin: scheme, host and port, nothing else (Origin: null and junk are not). */
export function isOrigin(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === value;
  } catch {
    return false;
  }
}

/**
 * An administrator's comma-separated list of origins (a setting, an organisation's
 * allowedOrigins): its entries, blanks dropped, and the first that is not an origin, if any.
 */
export function splitOrigins(value: string): { origins: string[]; notAnOrigin?: string } {
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const notAnOrigin = origins.find((o) => !isOrigin(o));
  return notAnOrigin === undefined ? { origins } : { origins, notAnOrigin };
}

async function allowedOrigin(req: FastifyRequest, policy: CorsPolicy): Promise<string | undefined> {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || !isOrigin(origin)) return undefined;
  if (!policy.applies(req.url.split('?')[0]!)) return undefined;
  return (await policy.allows(origin)) ? origin : undefined;
}

/**
 * Cross-origin access for browser apps on other sites (arcgis-rest-js in an app's own origin):
 * the answer names the calling origin when the policy allows it. Credentials are never allowed
 * cross-origin, so the web UI's session cookie cannot be used by another site: apps send a
 * token. Preflights are answered for the same paths.
 */
export function registerCors(app: FastifyInstance, policy: CorsPolicy, prefix: string): void {
  // A callback hook: requests without an Origin (most) pass without a promise.
  app.addHook('onSend', (req: FastifyRequest, reply: FastifyReply, payload, done) => {
    if (req.headers.origin === undefined) return done(null, payload);
    reply.header('vary', 'Origin');
    allowedOrigin(req, policy).then((origin) => {
      if (origin) reply.header('access-control-allow-origin', origin);
      done(null, payload);
    }, done);
  });
  app.route({
    method: 'OPTIONS',
    url: `${prefix}/*`,
    schema: {
      summary: `CORS preflight for ${prefix}/…: allowed origins get the methods and headers ArcGIS clients use.`,
      tags: ['cors'],
      'x-meridian-errors': 'arcgis',
      response: { 204: { description: 'Preflight answered.', type: 'null' } },
    },
    config: { errors: 'arcgis' },
    handler: async (req, reply) => {
      const origin = await allowedOrigin(req, policy);
      if (origin)
        reply
          .header('access-control-allow-methods', 'GET, POST')
          .header('access-control-allow-headers', ALLOWED_HEADERS)
          .header('access-control-max-age', '600');
      return reply.code(204).send();
    },
  });
}
