import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/context.ts';
import { registerCommunityUserRoutes } from './community-routes.ts';
import { registerPortalAdminUserRoutes } from './portaladmin-routes.ts';

export async function registerIdentityRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await registerCommunityUserRoutes(app, ctx);
  await registerPortalAdminUserRoutes(app, ctx);
}
