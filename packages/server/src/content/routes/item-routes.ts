import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fileResponse, route, uploadOf } from '../../http/route.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { NotPermitted } from '../errors.ts';
import { createFolder, deleteFolder } from '../folders.ts';
import { loadOwnedItem } from '../item-access.ts';
import type { ItemUploads } from '../item-input.ts';
import {
  addItem,
  type ContentDeps,
  deleteItem,
  getItem,
  getItemDataRow,
  getItemRow,
  moveItem,
  updateItem,
} from '../items.ts';
import { sameUser } from '../owners.ts';
import {
  AddItemAnswer,
  DeleteItemAnswer,
  FolderAnswer,
  ItemJson,
  MoveItemAnswer,
  UpdateItemAnswer,
  UserContentJson,
} from '../schemas.ts';
import { userContent } from '../user-content.ts';
import { viewerOf } from '../viewer.ts';
import { sendItemData } from './item-data.ts';
import { sendThumbnail } from './item-thumbnail-route.ts';
import { IGNORED_ITEM_PARAMS, ITEM_FILES, ITEM_PARAMS, PAGING_PARAMS } from './params.ts';

type UserParams = { username: string; folderId?: string; itemId?: string };
const BASE = '/sharing/rest/content';
const TAGS = ['content'];

function itemUploads(req: FastifyRequest): ItemUploads {
  return { file: uploadOf(req, 'file'), thumbnail: uploadOf(req, 'thumbnail') };
}

/** Items, their data, folders and user content (the Sharing API's content/… resources). */
export function registerItemRoutes(app: FastifyInstance, deps: ContentDeps): void {
  for (const url of [`${BASE}/users/:username/addItem`, `${BASE}/users/:username/:folderId/addItem`]) {
    route(app, {
      method: 'POST',
      url,
      summary: 'Add an item (metadata, and text or an uploaded file as its data) to a user’s content.',
      tags: TAGS,
      auth: 'user',
      files: ITEM_FILES,
      params: Type.Object({ ...ITEM_PARAMS, ...IGNORED_ITEM_PARAMS }),
      response: AddItemAnswer,
      // Only the user named in the URL (or an administrator) adds items there: checked before
      // any file part is written.
      authorize: (req, caller) => {
        const viewer = viewerOf(caller);
        if (!viewer.isAdmin && !sameUser(viewer.username, (req.params as UserParams).username))
          throw new MeridianError(
            NotPermitted,
            `You do not have permissions to access the content of user '${(req.params as UserParams).username}'.`,
          );
      },
      handler: (req, args) => {
        const p = req.params as UserParams;
        return addItem(deps, viewerOf(req.caller), p.username, p.folderId ?? null, args, itemUploads(req));
      },
    });
  }

  for (const url of [
    `${BASE}/users/:username/items/:itemId/update`,
    `${BASE}/users/:username/:folderId/items/:itemId/update`,
  ]) {
    route(app, {
      method: 'POST',
      url,
      summary: 'Update an item’s fields and data (empty fields clear only with clearEmptyFields=true).',
      tags: TAGS,
      auth: 'user',
      files: ITEM_FILES,
      params: Type.Object({
        ...ITEM_PARAMS,
        ...IGNORED_ITEM_PARAMS,
        clearEmptyFields: Type.Optional(Type.Boolean({ description: 'Clear the fields sent empty.' })),
      }),
      response: UpdateItemAnswer,
      // Only the item's owner (or an administrator): checked before any file part is written.
      authorize: async (req, caller) => {
        await loadOwnedItem(deps.db, viewerOf(caller), (req.params as UserParams).itemId!);
      },
      handler: (req, args) =>
        updateItem(deps, viewerOf(req.caller), (req.params as UserParams).itemId!, args, itemUploads(req)),
    });
  }

  for (const url of [
    `${BASE}/users/:username/items/:itemId/delete`,
    `${BASE}/users/:username/:folderId/items/:itemId/delete`,
  ]) {
    route(app, {
      method: 'POST',
      url,
      summary: 'Delete an item, its data and its shares.',
      tags: TAGS,
      auth: 'user',
      params: Type.Object({
        force: Type.Optional(Type.Boolean({ description: 'Accepted for compatibility.' })),
        permanentDelete: Type.Optional(
          Type.Boolean({ description: 'Accepted; deletion is always permanent.' }),
        ),
      }),
      response: DeleteItemAnswer,
      handler: (req) => deleteItem(deps, viewerOf(req.caller), (req.params as UserParams).itemId!),
    });
  }

  for (const url of [
    `${BASE}/users/:username/items/:itemId/move`,
    `${BASE}/users/:username/:folderId/items/:itemId/move`,
  ]) {
    route(app, {
      method: 'POST',
      url,
      summary: 'Move an item to one of its owner’s folders, or to the root folder with "/".',
      tags: TAGS,
      auth: 'user',
      params: Type.Object({ folder: Type.String({ description: 'Folder id, or "/" for the root folder.' }) }),
      response: MoveItemAnswer,
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
    response: ItemJson,
    handler: (req) => getItem(deps, viewerOf(req.caller), (req.params as { itemId: string }).itemId),
  });

  route(app, {
    method: 'GET',
    url: `${BASE}/items/:itemId/data`,
    summary: 'An item’s data: its text, or its file as a download.',
    tags: TAGS,
    auth: 'public',
    response: fileResponse(
      'The item’s text as stored (application/json when it is JSON), its file (with the type it was uploaded with), or an empty body.',
      ['application/json', 'text/plain', 'application/octet-stream'],
    ),
    handler: async (req, _args, reply) => {
      const row = await getItemDataRow(deps, viewerOf(req.caller), (req.params as { itemId: string }).itemId);
      return sendItemData(reply, deps.filesDir, row);
    },
  });

  route(app, {
    method: 'GET',
    url: `${BASE}/items/:itemId/info/thumbnail/:name`,
    summary: 'An item’s thumbnail image (the path its item JSON names in `thumbnail`).',
    tags: TAGS,
    auth: 'public',
    params: Type.Object({
      w: Type.Optional(
        Type.Integer({ description: 'Accepted for compatibility; the image is sent as stored.' }),
      ),
    }),
    response: fileResponse('The thumbnail image.', ['image/png', 'image/jpeg', 'image/gif']),
    handler: async (req, _args, reply) => {
      const p = req.params as { itemId: string; name: string };
      const row = await getItemRow(deps, viewerOf(req.caller), p.itemId);
      return sendThumbnail(reply, deps.filesDir, row, p.name);
    },
  });

  for (const url of [`${BASE}/users/:username`, `${BASE}/users/:username/:folderId`]) {
    route(app, {
      method: ['GET', 'POST'],
      url,
      summary: 'A user’s items in the root folder (or one folder) and the list of their folders.',
      tags: TAGS,
      auth: 'user',
      params: Type.Object({
        ...PAGING_PARAMS,
        sortField: Type.Optional(Type.String()),
        sortOrder: Type.Optional(Type.String()),
      }),
      response: UserContentJson,
      handler: (req, args) => {
        const p = req.params as UserParams;
        return userContent(deps, viewerOf(req.caller), p.username, p.folderId ?? null, args.start, args.num);
      },
    });
  }

  route(app, {
    method: 'POST',
    url: `${BASE}/users/:username/createFolder`,
    summary: 'Create a folder in a user’s content.',
    tags: TAGS,
    auth: 'user',
    params: Type.Object({ title: Type.String({ description: 'Folder title, unique for the user.' }) }),
    response: FolderAnswer,
    handler: (req, args) =>
      createFolder(deps, viewerOf(req.caller), (req.params as UserParams).username, args.title),
  });

  route(app, {
    method: 'POST',
    url: `${BASE}/users/:username/:folderId/delete`,
    summary: 'Delete a folder and every item in it.',
    tags: TAGS,
    auth: 'user',
    response: FolderAnswer,
    handler: (req) => {
      const p = req.params as UserParams;
      return deleteFolder(deps, viewerOf(req.caller), p.username, p.folderId!);
    },
  });
}
