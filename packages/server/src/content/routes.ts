import type { FastifyInstance } from 'fastify';
import type { ContentDeps } from './items.ts';
import { registerGroupRoutes } from './routes/group-routes.ts';
import { registerItemRoutes } from './routes/item-routes.ts';
import { registerSearchRoutes } from './routes/search-routes.ts';
import { registerShareRoutes } from './routes/share-routes.ts';

/** Items, folders, groups, sharing and search: the content half of the Sharing API. */
export function registerContentRoutes(app: FastifyInstance, deps: ContentDeps): void {
  registerItemRoutes(app, deps);
  registerShareRoutes(app, deps);
  registerGroupRoutes(app, deps);
  registerSearchRoutes(app, deps);
}
