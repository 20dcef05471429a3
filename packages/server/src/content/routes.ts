import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/context.ts';
import { registerGroupRoutes } from './routes/group-routes.ts';
import { registerItemRoutes } from './routes/item-routes.ts';
import { registerSearchRoutes } from './routes/search-routes.ts';
import { registerShareRoutes } from './routes/share-routes.ts';

/** Items, folders, groups, sharing and search: the content half of the Sharing API. */
export async function registerContentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  registerItemRoutes(app, ctx);
  registerShareRoutes(app, ctx);
  registerGroupRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
}
