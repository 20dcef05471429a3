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

/** Serves the web UI under /home/; unknown paths there fall back to the single page. */
export async function registerStaticUi(app: FastifyInstance): Promise<void> {
  const dir = webDistDir();
  app.get('/', async (_req, reply) => reply.redirect('/home/'));
  if (!dir) {
    app.get('/home/*', async (_req, reply) =>
      reply.code(503).type('text/plain').send('The web UI has not been built: run `npm run build:web`.'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: dir, prefix: '/home/', index: ['index.html'], wildcard: false });
  app.get('/home/*', async (_req, reply) => reply.type('text/html').sendFile('index.html'));
}
