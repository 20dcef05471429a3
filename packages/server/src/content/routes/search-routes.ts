import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import type { ContentDeps } from '../items.ts';
import { ItemSearchJson } from '../schemas.ts';
import { searchItems } from '../search/search-items.ts';
import { viewerOf } from '../viewer.ts';
import { PAGING_PARAMS } from './params.ts';

/** sharing/rest/search */
export function registerSearchRoutes(app: FastifyInstance, deps: ContentDeps): void {
  route(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/search',
    summary: 'Search the items the caller may see (ArcGIS search syntax in q).',
    tags: ['search'],
    auth: 'public',
    params: Type.Object({
      q: Type.Optional(
        Type.String({
          description: 'Query: words, "phrases", field:value, AND/OR/NOT, (…). At most 2048 characters.',
        }),
      ),
      bbox: Type.Optional(
        Type.String({ description: 'xmin,ymin,xmax,ymax: items whose extent intersects it.' }),
      ),
      sortField: Type.Optional(
        Type.String({ description: 'title, created, modified, type, owner, numviews, size (comma list).' }),
      ),
      sortOrder: Type.Optional(Type.String({ description: 'asc or desc (comma list to match sortField).' })),
      ...PAGING_PARAMS,
      searchUserAccess: Type.Optional(Type.String({ description: 'Accepted and ignored.' })),
      searchUserName: Type.Optional(Type.String({ description: 'Accepted and ignored.' })),
      filter: Type.Optional(Type.String({ description: 'Accepted and ignored.' })),
      countFields: Type.Optional(Type.String({ description: 'Accepted and ignored.' })),
      countSize: Type.Optional(Type.Integer({ description: 'Accepted and ignored.' })),
      categories: Type.Optional(Type.String({ description: 'Accepted and ignored (no categories).' })),
      categoryFilters: Type.Optional(Type.String({ description: 'Accepted and ignored (no categories).' })),
      enriched: Type.Optional(Type.Boolean({ description: 'Accepted and ignored.' })),
      displaySublayers: Type.Optional(Type.Boolean({ description: 'Accepted and ignored.' })),
    }),
    response: ItemSearchJson,
    handler: async (req, args) =>
      searchItems(deps.db, viewerOf(req.caller), await deps.orgId(), {
        q: args.q,
        bbox: args.bbox,
        sortField: args.sortField,
        sortOrder: args.sortOrder,
        start: args.start,
        num: args.num,
      }),
  });
}
