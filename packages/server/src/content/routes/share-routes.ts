import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import { itemGroups } from '../item-groups.ts';
import type { ContentDeps } from '../items.ts';
import {
  ItemGroupsJson,
  ShareAnswer,
  ShareItemsAnswer,
  UnshareAnswer,
  UnshareItemsAnswer,
} from '../schemas.ts';
import { type ShareArgs, shareItem, shareItems, unshareItem, unshareItems } from '../sharing.ts';
import { viewerOf } from '../viewer.ts';
import { SHARE_PARAMS } from './params.ts';

const BASE = '/sharing/rest/content';
const TAGS = ['sharing'];

/** account=true is the older spelling of org=true. */
function normalise(args: ShareArgs & { account?: boolean }): ShareArgs {
  return { ...args, org: args.org ?? args.account };
}

/** share / unshare of one item, and the batch shareItems / unshareItems. */
export function registerShareRoutes(app: FastifyInstance, deps: ContentDeps): void {
  for (const url of [
    `${BASE}/items/:itemId/share`,
    `${BASE}/users/:username/items/:itemId/share`,
    `${BASE}/users/:username/:folderId/items/:itemId/share`,
  ]) {
    route(app, {
      method: 'POST',
      url,
      summary:
        'Share an item with everyone, the organisation and/or groups (groups it may not go to come back in notSharedWith).',
      tags: TAGS,
      auth: 'user',
      params: Type.Object(SHARE_PARAMS),
      response: ShareAnswer,
      handler: (req, args) =>
        shareItem(deps, viewerOf(req.caller), (req.params as { itemId: string }).itemId, normalise(args)),
    });
  }
  for (const url of [
    `${BASE}/items/:itemId/unshare`,
    `${BASE}/users/:username/items/:itemId/unshare`,
    `${BASE}/users/:username/:folderId/items/:itemId/unshare`,
  ]) {
    route(app, {
      method: 'POST',
      url,
      summary: 'Stop sharing an item with groups (groups it could not leave come back in notUnsharedFrom).',
      tags: TAGS,
      auth: 'user',
      params: Type.Object({ groups: SHARE_PARAMS.groups }),
      response: UnshareAnswer,
      handler: (req, args) =>
        unshareItem(deps, viewerOf(req.caller), (req.params as { itemId: string }).itemId, args.groups),
    });
  }
  route(app, {
    method: ['GET', 'POST'],
    url: `${BASE}/items/:itemId/groups`,
    summary:
      'The groups an item is shared with that the caller may see: admin (groups they own or administer), member, other.',
    tags: TAGS,
    auth: 'public',
    response: ItemGroupsJson,
    handler: (req) => itemGroups(deps, viewerOf(req.caller), (req.params as { itemId: string }).itemId),
  });
  route(app, {
    method: 'POST',
    url: `${BASE}/users/:username/shareItems`,
    summary: 'Share several items at once.',
    tags: TAGS,
    auth: 'user',
    params: Type.Object({ ...SHARE_PARAMS, items: Type.String({ description: 'Comma list of item ids.' }) }),
    response: ShareItemsAnswer,
    handler: (req, args) => shareItems(deps, viewerOf(req.caller), args.items, normalise(args)),
  });
  route(app, {
    method: 'POST',
    url: `${BASE}/users/:username/unshareItems`,
    summary: 'Stop sharing several items with groups.',
    tags: TAGS,
    auth: 'user',
    params: Type.Object({
      items: Type.String({ description: 'Comma list of item ids.' }),
      groups: SHARE_PARAMS.groups,
    }),
    response: UnshareItemsAnswer,
    handler: (req, args) => unshareItems(deps, viewerOf(req.caller), args.items, args.groups),
  });
}
