import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { createFolder, deleteFolder } from '../folders.ts';
import type { ItemArgs } from '../item-input.ts';
import {
  type AddItemArgs,
  addItem,
  contentDeps,
  deleteItem,
  getItem,
  getItemDataRow,
  moveItem,
  updateItem,
} from '../items.ts';
import { userContent } from '../user-content.ts';
import { viewerOf } from '../viewer.ts';
import { sendItemData } from './item-data.ts';
import { IGNORED_ITEM_PARAMS, ITEM_PARAMS, PAGING_PARAMS } from './params.ts';

type UserParams = { username: string; folderId?: string; itemId?: string };
const BASE = '/sharing/rest/content';
const TAGS = ['content'];

/** Items, their data, folders and user content (the Sharing API's content/… resources). */
export function registerItemRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps = contentDeps(ctx);

  for (const url of [`${BASE}/users/:username/addItem`, `${BASE}/users/:username/:folderId/addItem`]) {
    route<AddItemArgs>(app, {
      method: 'POST',
      url,
      summary: 'Add an item (metadata, and text or an uploaded file as its data) to a user’s content.',
      tags: TAGS,
      auth: 'user',
      params: { ...ITEM_PARAMS, ...IGNORED_ITEM_PARAMS },
      handler: (req, args) => {
        const p = req.params as UserParams;
        return addItem(deps, viewerOf(req.caller), p.username, p.folderId ?? null, args);
      },
    });
  }

  for (const url of [
    `${BASE}/users/:username/items/:itemId/update`,
    `${BASE}/users/:username/:folderId/items/:itemId/update`,
  ]) {
    route<AddItemArgs>(app, {
      method: 'POST',
      url,
      summary: 'Update an item’s fields and data (empty fields clear only with clearEmptyFields=true).',
      tags: TAGS,
      auth: 'user',
      params: {
        ...ITEM_PARAMS,
        ...IGNORED_ITEM_PARAMS,
        clearEmptyFields: { type: 'boolean', description: 'Clear the fields sent empty.' },
      },
      handler: (req, args) =>
        updateItem(deps, viewerOf(req.caller), (req.params as UserParams).itemId!, args),
    });
  }

  for (const url of [
    `${BASE}/users/:username/items/:itemId/delete`,
    `${BASE}/users/:username/:folderId/items/:itemId/delete`,
  ]) {
    route<{ force?: boolean; permanentDelete?: boolean }>(app, {
      method: 'POST',
      url,
      summary: 'Delete an item, its data and its shares.',
      tags: TAGS,
      auth: 'user',
      params: {
        force: { type: 'boolean', description: 'Accepted for compatibility.' },
        permanentDelete: { type: 'boolean', description: 'Accepted; deletion is always permanent.' },
      },
      handler: (req) => deleteItem(deps, viewerOf(req.caller), (req.params as UserParams).itemId!),
    });
  }

  for (const url of [
    `${BASE}/users/:username/items/:itemId/move`,
    `${BASE}/users/:username/:folderId/items/:itemId/move`,
  ]) {
    route<{ folder: string }>(app, {
      method: 'POST',
      url,
      summary: 'Move an item to one of its owner’s folders, or to the root folder with "/".',
      tags: TAGS,
      auth: 'user',
      params: { folder: { type: 'string', description: 'Folder id, or "/" for the root folder.' } },
      required: ['folder'],
      handler: (req, args) =>
        moveItem(deps, viewerOf(req.caller), (req.params as UserParams).itemId!, args.folder),
    });
  }

  route(app, {
    method: ['GET', 'POST'],
    url: `${BASE}/items/:itemId`,
    summary: 'An item’s description, if the caller may see it.',
    tags: TAGS,
    auth: 'public',
    handler: (req) => getItem(deps, viewerOf(req.caller), (req.params as { itemId: string }).itemId),
  });

  route(app, {
    method: 'GET',
    url: `${BASE}/items/:itemId/data`,
    summary: 'An item’s data: its text, or its file as a download.',
    tags: TAGS,
    auth: 'public',
    handler: async (req, _args, reply) => {
      const row = await getItemDataRow(deps, viewerOf(req.caller), (req.params as { itemId: string }).itemId);
      return sendItemData(reply, ctx.config.home, row);
    },
  });

  for (const url of [`${BASE}/users/:username`, `${BASE}/users/:username/:folderId`]) {
    route<{ start?: number; num?: number }>(app, {
      method: ['GET', 'POST'],
      url,
      summary: 'A user’s items in the root folder (or one folder) and the list of their folders.',
      tags: TAGS,
      auth: 'user',
      params: { ...PAGING_PARAMS, sortField: { type: 'string' }, sortOrder: { type: 'string' } },
      handler: (req, args) => {
        const p = req.params as UserParams;
        return userContent(deps, viewerOf(req.caller), p.username, p.folderId ?? null, args.start, args.num);
      },
    });
  }

  route<{ title: string }>(app, {
    method: 'POST',
    url: `${BASE}/users/:username/createFolder`,
    summary: 'Create a folder in a user’s content.',
    tags: TAGS,
    auth: 'user',
    params: { title: { type: 'string', description: 'Folder title, unique for the user.' } },
    required: ['title'],
    handler: (req, args) =>
      createFolder(deps, viewerOf(req.caller), (req.params as UserParams).username, args.title),
  });

  route<ItemArgs>(app, {
    method: 'POST',
    url: `${BASE}/users/:username/:folderId/delete`,
    summary: 'Delete a folder and every item in it.',
    tags: TAGS,
    auth: 'user',
    handler: (req) => {
      const p = req.params as UserParams;
      return deleteFolder(deps, viewerOf(req.caller), p.username, p.folderId!);
    },
  });
}
