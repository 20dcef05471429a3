import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where the built web UI is (packages/web/dist), or undefined when it has not been built. */
export function webDistDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@meridian/web/package.json')), 'dist');
    return existsSync(join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Origins the UI's pages reach beyond their own, read on every page (so a change needs no restart). */
export interface UiSources {
  /** Origins the pages fetch from (connect-src): the portal's federated GIS servers. */
  connectOrigins(): Promise<readonly string[]>;
  /** Origins images come from (img-src): a basemap's tile server. */
  imageOrigins?(): Promise<readonly string[]>;
}

/** Only a plain http(s) origin goes into the policy: nothing else could widen it. */
function origins(values: readonly string[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    try {
      const u = new URL(v);
      if ((u.protocol === 'https:' || u.protocol === 'http:') && u.origin === v) out.add(v);
    } catch {
      // Not an origin: left out.
    }
  }
  return [...out];
}

/**
 * The web UI's own scripts and styles only, from this origin; no framing (clickjacking), no
 * plugins, no <base>; item thumbnails are images from this origin. Its pages may also read the
 * `connect` origins (feature services on federated servers) and show images (basemap tiles)
 * from the `images` origins.
 */
export function uiContentSecurityPolicy(extra: {
  connect: readonly string[];
  images: readonly string[];
}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    ["img-src 'self' data: blob:", ...origins(extra.images)].join(' '),
    ["connect-src 'self'", ...origins(extra.connect)].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy with no other origin. */
export const UI_CONTENT_SECURITY_POLICY = uiContentSecurityPolicy({ connect: [], images: [] });

async function currentPolicy(sources: UiSources | undefined): Promise<string> {
  if (!sources) return UI_CONTENT_SECURITY_POLICY;
  const [connect, images] = await Promise.all([
    sources.connectOrigins(),
    sources.imageOrigins?.() ?? Promise.resolve([]),
  ]);
  return uiContentSecurityPolicy({ connect, images });
}

/** The pages are browser flows: an error there is a page too (http/error-render.ts). */
const PAGE_CONFIG = { errors: 'html' } as const;
const ROOT_SCHEMA = {
  summary: 'Redirects to the web UI.',
  'x-meridian-errors': 'html',
  response: { 302: { description: 'To /home/.', type: 'null' } },
};
const UI_SCHEMA = {
  summary: 'The web UI: every path under /home/ is its single page (or one of its scripts and styles).',
  'x-meridian-errors': 'html',
  response: {
    200: { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
    503: {
      description: 'The web UI has not been built.',
      content: { 'text/plain': { schema: { type: 'string' } } },
    },
  },
};

/**
 * Serves the web UI under /home/; unknown paths there fall back to the single page. `sources`
 * name the other origins its pages reach (read for every page; when they fail, the page gets
 * the own-origin policy and the failure is logged).
 */
export async function registerStaticUi(app: FastifyInstance, sources?: UiSources): Promise<void> {
  const dir = webDistDir();
  app.addHook('onSend', (req, reply, payload, done) => {
    if (!req.url.startsWith('/home')) return done(null, payload);
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    currentPolicy(sources)
      .catch((err: unknown) => {
        req.log.warn({ err }, 'the web UI policy could not read its other origins; own origin only');
        return UI_CONTENT_SECURITY_POLICY;
      })
      .then((csp) => {
        reply.header('content-security-policy', csp);
        done(null, payload);
      });
  });
  app.get('/', { schema: ROOT_SCHEMA, config: PAGE_CONFIG }, async (_req, reply) => reply.redirect('/home/'));
  if (!dir) {
    app.get('/home/*', { schema: UI_SCHEMA, config: PAGE_CONFIG }, async (_req, reply) =>
      reply.code(503).type('text/plain').send('The web UI has not been built: run `npm run build:web`.'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: dir, prefix: '/home/', index: ['index.html'], wildcard: false });
  app.get('/home/*', { schema: UI_SCHEMA, config: PAGE_CONFIG }, async (_req, reply) =>
    reply.type('text/html').sendFile('index.html'),
  );
}
