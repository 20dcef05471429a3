import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import type { PkiContext } from '../context.ts';
import { HealthJson } from '../schemas.ts';
import { healthReport } from '../store/expiry.ts';
import { registerCertRoutes } from './cert-routes.ts';
import { registerDiagnoseRoutes } from './diagnose-routes.ts';
import { registerTrustRoutes } from './trust-routes.ts';

/** Certificates, trust store, diagnosis and the health check. */
export async function registerPkiRoutes(app: FastifyInstance, ctx: PkiContext): Promise<void> {
  await registerCertRoutes(app, ctx);
  await registerTrustRoutes(app, ctx);
  await registerDiagnoseRoutes(app, ctx);

  route(app, {
    method: ['GET', 'POST'],
    url: '/portaladmin/healthCheck',
    summary:
      'Health: certificates (store and trust store) expired or expiring within tls.expiryWarningDays; a served certificate expired or not yet valid is an error (HTTP 503, pki.served_certificate_invalid).',
    tags: ['portaladmin'],
    auth: 'admin',
    errors: 'portaladmin',
    response: HealthJson,
    handler: () => healthReport(ctx),
  });
}
