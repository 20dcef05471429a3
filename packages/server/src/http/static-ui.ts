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

/**
 * The web UI's own scripts and styles only, from this origin; no framing (clickjacking), no
 * plugins, no <base>; item thumbnails are images from this origin.
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

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

/** Serves the web UI under /home/; unknown paths there fall back to the single page. */
export async function registerStaticUi(app: FastifyInstance): Promise<void> {
  const dir = webDistDir();
  app.addHook('onSend', (req, reply, payload, done) => {
    if (req.url.startsWith('/home')) {
      reply.header('content-security-policy', UI_CONTENT_SECURITY_POLICY);
      reply.header('x-frame-options', 'DENY');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'same-origin');
    }
    done(null, payload);
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
