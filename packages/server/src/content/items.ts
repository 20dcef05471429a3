import type { Kysely } from 'kysely';
import type { IdentityApi } from '../identity/module.ts';
import type { Database } from '../kernel/db/schema.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { FolderNotFound, InvalidItemField } from './errors.ts';
import type { GroupsOfUser } from './groups/groups-of-user.ts';
import { newId } from './ids.ts';
import { loadOwnedItem, loadVisibleItem, ownsOrAdministers } from './item-access.ts';
import { checkItemDataFormat, type DataSource, readFileHead } from './item-data-format.ts';
import { adoptUpload, removeStoredFile, safeContentType, storedFilePath } from './item-files.ts';
import {
  type ItemArgs,
  type ItemData,
  type ItemInput,
  type ItemUploads,
  readItemInput,
} from './item-input.ts';
import { type ItemRow, itemJson } from './item-json.ts';
import { type ItemDeleteHook, runItemDeleteHooks } from './item-port.ts';
import { deleteItemRow, emptyItemRow, insertItemRow, updateItemRow } from './item-store.ts';
import { checkThumbnail } from './item-thumbnail.ts';
import { resolveOwner } from './owners.ts';
import type { Viewer } from './viewer.ts';

/** What the content services need from the portal. */
export interface ContentDeps {
  db: Kysely<Database>;
  /** The files directory (content.filesDir): item files and thumbnails, shared by every node. */
  filesDir: string;
  orgId(): Promise<string>;
  /** Owners and members are users of the identity module, looked up through its API. */
  users: Pick<IdentityApi, 'canonicalUsername'>;
  /** Each user's groups, kept in memory (groups/groups-of-user.ts). */
  groupsOfUser: GroupsOfUser;
  /** Says, after a committed change to groups or memberships, that cached group lists are stale. */
  groupsChanged(): Promise<void>;
  /** Hooks other modules registered, run inside each item deletion's transaction (item-port.ts). */
  itemDeleteHooks?: ItemDeleteHook[];
  /** Says, after a committed change to items in groups, that the item change log grew (item-changes.ts). */
  itemsChanged?(): void;
}

export interface AddItemArgs extends ItemArgs {
  multipart?: boolean;
  dataUrl?: string;
  thumbnailUrl?: string;
}

function refuseUnsupported(args: AddItemArgs): void {
  if (args.multipart === true)
    throw new MeridianError(
      InvalidItemField,
      "Multipart (chunked) uploads with addPart/commit are not supported: send the whole file as the 'file' part of one multipart/form-data request.",
    );
  if (args.dataUrl)
    throw new MeridianError(
      InvalidItemField,
      "'dataUrl' is not supported: upload the file as the 'file' part, or set 'url' to reference it.",
    );
  if (args.thumbnailUrl)
    throw new MeridianError(
      InvalidItemField,
      "'thumbnailUrl' is not supported: upload the image as the 'thumbnail' file part.",
    );
}

/** The data an item will have after a change: the new data, else what it has now. */
function dataSource(filesDir: string, input: ItemInput, before?: ItemRow): DataSource | undefined {
  const d = input.data;
  if (d?.kind === 'text') return { text: d.text };
  if (d?.kind === 'file') return d.file;
  if (before?.data_kind === 'text' && before.data_text !== null) return { text: before.data_text };
  const key = before?.data_kind === 'file' ? before.file_key : null;
  if (key) return { size: Number(before!.size), head: (n) => readFileHead(storedFilePath(filesDir, key), n) };
  return undefined;
}

/** Stores a new thumbnail; its columns, or none when the request has no thumbnail. */
async function thumbnailColumns(deps: ContentDeps, input: ItemInput): Promise<Partial<ItemRow>> {
  if (!input.thumbnail) return {};
  const name = await checkThumbnail(input.thumbnail);
  return { thumbnail_key: await adoptUpload(deps.filesDir, input.thumbnail), thumbnail_name: name };
}

export async function checkFolder(db: Kysely<Database>, owner: string, folderId: string): Promise<void> {
  const folder = await db
    .selectFrom('folders')
    .select('id')
    .where('id', '=', folderId)
    .where('owner', '=', owner)
    .executeTakeFirst();
  if (!folder)
    throw new MeridianError(FolderNotFound, `Folder '${folderId}' does not exist for user '${owner}'.`);
}

/** Columns that describe an item's data. */
async function dataColumns(deps: ContentDeps, data: ItemData): Promise<Partial<ItemRow>> {
  if (data.kind === 'text') {
    if (data.text === '')
      return {
        data_kind: 'none',
        data_text: null,
        file_key: null,
        file_name: null,
        file_type: null,
        size: 0,
      };
    return {
      data_kind: 'text',
      data_text: data.text,
      file_key: null,
      file_name: null,
      file_type: null,
      size: Buffer.byteLength(data.text),
    };
  }
  const key = await adoptUpload(deps.filesDir, data.file);
  return {
    data_kind: 'file',
    data_text: null,
    file_key: key,
    file_name: data.name,
    file_type: safeContentType(data.file.mimetype),
    size: data.file.size,
  };
}

/** Runs a database write; if it fails, the files just stored for it are removed again. */
async function writeOrRemoveFiles<T>(
  deps: ContentDeps,
  newKeys: (string | null | undefined)[],
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    for (const key of newKeys) if (key) await removeStoredFile(deps.filesDir, key).catch(() => {});
    throw err;
  }
}

/**
 * Checks everything about a change that needs no write (the data's format against the item's
 * type, the thumbnail), then stores its files: bad input leaves nothing behind.
 */
async function prepareFiles(
  deps: ContentDeps,
  input: ItemInput,
  type: string,
  before?: ItemRow,
): Promise<Partial<ItemRow>> {
  if (input.data || input.columns.type !== undefined)
    await checkItemDataFormat(type, dataSource(deps.filesDir, input, before));
  const thumbnail = await thumbnailColumns(deps, input);
  try {
    return { ...thumbnail, ...(input.data ? await dataColumns(deps, input.data) : {}) };
  } catch (err) {
    await removeStoredFile(deps.filesDir, thumbnail.thumbnail_key ?? null).catch(() => {});
    throw err;
  }
}

/** content/users/<u>[/<folder>]/addItem */
export async function addItem(
  deps: ContentDeps,
  viewer: Viewer,
  username: string,
  folderId: string | null,
  args: AddItemArgs,
  uploads: ItemUploads = {},
): Promise<{ success: true; id: string; folder: string | null }> {
  refuseUnsupported(args);
  const owner = await resolveOwner(deps.users, viewer, username);
  if (folderId) await checkFolder(deps.db, owner, folderId);
  const input = readItemInput(args, 'add', uploads);
  const now = Date.now();
  const files = await prepareFiles(deps, input, input.columns.type ?? '');
  const id = newId();
  await writeOrRemoveFiles(deps, [files.file_key, files.thumbnail_key], () =>
    deps.db.transaction().execute((trx) =>
      insertItemRow(trx, {
        ...emptyItemRow(id, owner, now),
        folder_id: folderId,
        ...input.columns,
        ...files,
      }),
    ),
  );
  return { success: true, id, folder: folderId };
}

/** content/users/<u>/items/<id>/update */
export async function updateItem(
  deps: ContentDeps,
  viewer: Viewer,
  itemId: string,
  args: AddItemArgs,
  uploads: ItemUploads = {},
): Promise<{ success: true; id: string }> {
  refuseUnsupported(args);
  const before = await loadOwnedItem(deps.db, viewer, itemId);
  const input = readItemInput(args, 'update', uploads);
  const files = await prepareFiles(deps, input, input.columns.type ?? before.type, before);
  await writeOrRemoveFiles(deps, [files.file_key, files.thumbnail_key], () =>
    deps.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('items').selectAll().where('id', '=', itemId).executeTakeFirst();
      if (!current) throw new MeridianError(InvalidItemField, `Item '${itemId}' was deleted meanwhile.`);
      await updateItemRow(trx, current, { ...input.columns, ...files, modified: Date.now() });
    }),
  );
  // The files the change replaced go only after it is committed.
  if (input.data && before.file_key && before.file_key !== files.file_key)
    await removeStoredFile(deps.filesDir, before.file_key).catch(() => {});
  if (files.thumbnail_key && before.thumbnail_key)
    await removeStoredFile(deps.filesDir, before.thumbnail_key).catch(() => {});
  deps.itemsChanged?.();
  return { success: true, id: itemId };
}

/** content/users/<u>/items/<id>/delete */
export async function deleteItem(
  deps: ContentDeps,
  viewer: Viewer,
  itemId: string,
): Promise<{ success: true; itemId: string }> {
  const row = await loadOwnedItem(deps.db, viewer, itemId);
  await deps.db.transaction().execute(async (trx) => {
    await runItemDeleteHooks(deps.itemDeleteHooks ?? [], trx, itemId);
    await deleteItemRow(trx, itemId);
  });
  await removeStoredFile(deps.filesDir, row.file_key).catch(() => {});
  await removeStoredFile(deps.filesDir, row.thumbnail_key).catch(() => {});
  deps.itemsChanged?.();
  return { success: true, itemId };
}

/** content/users/<u>/items/<id>/move: folder id, or "/" (or empty) for the root folder. */
export async function moveItem(
  deps: ContentDeps,
  viewer: Viewer,
  itemId: string,
  folder: string,
): Promise<{ success: true; itemId: string; owner: string; folder: string | null }> {
  const row = await loadOwnedItem(deps.db, viewer, itemId);
  const target = folder === '/' || folder === '' ? null : folder;
  if (target) await checkFolder(deps.db, row.owner, target);
  await deps.db.updateTable('items').set({ folder_id: target }).where('id', '=', itemId).execute();
  return { success: true, itemId, owner: row.owner, folder: target };
}

/** content/items/<id> */
export async function getItem(
  deps: ContentDeps,
  viewer: Viewer,
  itemId: string,
): Promise<Record<string, unknown>> {
  const row = await loadVisibleItem(deps.db, viewer, itemId);
  const json = itemJson(row, await deps.orgId());
  if (ownsOrAdministers(viewer, row)) json.itemControl = 'admin';
  return json;
}

/** An item row the viewer may see (for its thumbnail). */
export function getItemRow(deps: ContentDeps, viewer: Viewer, itemId: string): Promise<ItemRow> {
  return loadVisibleItem(deps.db, viewer, itemId);
}

/** content/items/<id>/data: the row, counted as a view. */
export async function getItemDataRow(deps: ContentDeps, viewer: Viewer, itemId: string): Promise<ItemRow> {
  const row = await loadVisibleItem(deps.db, viewer, itemId);
  await deps.db
    .updateTable('items')
    .set((eb) => ({ num_views: eb('num_views', '+', 1) }))
    .where('id', '=', itemId)
    .execute();
  return row;
}
