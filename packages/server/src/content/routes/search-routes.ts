import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import type { ContentDeps } from '../items.ts';
import { type SearchParams, searchItems } from '../search/search-items.ts';
import { viewerOf } from '../viewer.ts';
import { PAGING_PARAMS } from './params.ts';

/** sharing/rest/search */
export function registerSearchRoutes(app: FastifyInstance, deps: ContentDeps): void {
  route<SearchParams>(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/search',
    summary: 'Search the items the caller may see (ArcGIS search syntax in q).',
    tags: ['search'],
    auth: 'public',
    params: {
      q: {
        type: 'string',
        description: 'Query: words, "phrases", field:value, AND/OR/NOT, (…). At most 2048 characters.',
      },
      bbox: { type: 'string', description: 'xmin,ymin,xmax,ymax: items whose extent intersects it.' },
      sortField: {
        type: 'string',
        description: 'title, created, modified, type, owner, numviews, size (comma list).',
      },
      sortOrder: { type: 'string', description: 'asc or desc (comma list to match sortField).' },
      ...PAGING_PARAMS,
      searchUserAccess: { type: 'string', description: 'Accepted and ignored.' },
      searchUserName: { type: 'string', description: 'Accepted and ignored.' },
      filter: { type: 'string', description: 'Accepted and ignored.' },
      countFields: { type: 'string', description: 'Accepted and ignored.' },
      countSize: { type: 'integer', description: 'Accepted and ignored.' },
      categories: { type: 'string', description: 'Accepted and ignored (no categories).' },
      categoryFilters: { type: 'string', description: 'Accepted and ignored (no categories).' },
      enriched: { type: 'boolean', description: 'Accepted and ignored.' },
      displaySublayers: { type: 'boolean', description: 'Accepted and ignored.' },
    },
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
