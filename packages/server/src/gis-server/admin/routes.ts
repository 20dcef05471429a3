import type { FastifyInstance } from 'fastify';
import { registerCertificateRoutes } from './certificate-routes.ts';
import type { GisAdminContext } from './context.ts';
import { registerMachineRoutes } from './machine-routes.ts';
import { registerTokenRoutes } from './token-routes.ts';

/** The GIS server's administrator API for machines, SSL certificates and tokens (under /arcgis/admin). */
export function registerGisAdminRoutes(app: FastifyInstance, ctx: GisAdminContext): void {
  registerMachineRoutes(app, ctx);
  registerCertificateRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
}
