import type { FastifyInstance } from 'fastify';
import { registerCommunityUserRoutes } from './community-routes.ts';
import type { IdentityContext } from './context.ts';
import { registerPortalAdminUserRoutes } from './portaladmin-routes.ts';

export async function registerIdentityRoutes(app: FastifyInstance, ctx: IdentityContext): Promise<void> {
  await registerCommunityUserRoutes(app, ctx);
  await registerPortalAdminUserRoutes(app, ctx);
}
