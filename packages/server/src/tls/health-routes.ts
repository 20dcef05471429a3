import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { route } from '../http/route.ts';
import { StringEnum } from '../http/schemas.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { WebTls } from './web-tls.ts';

/** How long readiness waits for the database before it says unavailable. */
const DATABASE_CHECK_MS = 2000;

/** Can this node serve: it has a valid certificate to serve and its database answers. */
export async function isReady(kernel: Pick<Kernel, 'db'>, web: WebTls, now = Date.now()): Promise<boolean> {
  const cert = web.certificate;
  if (!cert || cert.notAfter <= now) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`SELECT 1`.execute(kernel.db.kysely),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('database check timed out')), DATABASE_CHECK_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * For load balancers, without a token: /health/live says the process serves requests;
 * /health/ready answers 200 only while the node can do its work (database reachable,
 * certificate valid) and 503 otherwise — with no detail that would help an attacker (the log
 * and /portaladmin/healthCheck have them).
 */
export function registerHealthRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'db'>, web: WebTls): void {
  route(app, {
    method: 'GET',
    url: '/health/live',
    summary: 'Liveness: 200 while the process serves requests (for a load balancer; no token).',
    tags: ['health'],
    auth: 'public',
    response: Type.Object({ status: StringEnum(['live']) }),
    handler: async () => ({ status: 'live' as const }),
  });
  route(app, {
    method: 'GET',
    url: '/health/ready',
    summary:
      'Readiness: 200 when the database answers and the certificate is valid, 503 otherwise (no token).',
    tags: ['health'],
    auth: 'public',
    response: Type.Object({ status: StringEnum(['ready']) }),
    handler: async (_req, _args, reply) => {
      if (await isReady(kernel, web)) return { status: 'ready' as const };
      return reply
        .code(503)
        .header('retry-after', '5')
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ status: 'unavailable' }));
    },
  });
}
