import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { MeridianError } from '../errors/meridian-error.ts';
import type { AppContext } from '../http/context.ts';
import { FolderNotFound, InvalidItemField } from './errors.ts';
import { newId } from './ids.ts';
import { loadOwnedItem, loadVisibleItem, ownsOrAdministers } from './item-access.ts';
import { adoptUpload, removeStoredFile, safeContentType } from './item-files.ts';
import { type ItemArgs, type ItemData, readItemInput } from './item-input.ts';
import { type ItemRow, itemJson } from './item-json.ts';
import { deleteItemRow, insertItemRow, updateItemRow } from './item-store.ts';
import { resolveOwner } from './owners.ts';
import type { Viewer } from './viewer.ts';

/** What the content services need from the portal. */
export interface ContentDeps {
  db: Kysely<Database>;
  /** The data directory; item files are kept under <home>/files. */
  home: string;
  orgId(): Promise<string>;
}

export function contentDeps(ctx: Pick<AppContext, 'db' | 'config' | 'settings'>): ContentDeps {
  return { db: ctx.db.kysely, home: ctx.config.home, orgId: async () => (await ctx.settings.get()).id };
}

export interface AddItemArgs extends ItemArgs {
  multipart?: boolean;
  dataUrl?: string;
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
  const key = await adoptUpload(deps.home, data.file);
  return {
    data_kind: 'file',
    data_text: null,
    file_key: key,
    file_name: data.name,
    file_type: safeContentType(data.file.mimetype),
    size: data.file.size,
  };
}

/** Runs a database write; if it fails, the file just stored for it is removed again. */
async function writeOrRemoveFile<T>(
  deps: ContentDeps,
  newKey: string | null | undefined,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (newKey) await removeStoredFile(deps.home, newKey).catch(() => {});
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
): Promise<{ success: true; id: string; folder: string | null }> {
  refuseUnsupported(args);
  const owner = await resolveOwner(deps.db, viewer, username);
  if (folderId) await checkFolder(deps.db, owner, folderId);
  const input = readItemInput(args, 'add');
  const now = Date.now();
  const data = input.data ? await dataColumns(deps, input.data) : {};
  const id = newId();
  await writeOrRemoveFile(deps, data.file_key, () =>
    deps.db.transaction().execute((trx) =>
      insertItemRow(trx, {
        id,
        owner,
        folder_id: folderId,
        title: '',
        type: '',
        type_keywords: '[]',
        description: '',
        snippet: '',
        tags: '[]',
        url: null,
        access: 'private',
        extent_xmin: null,
        extent_ymin: null,
        extent_xmax: null,
        extent_ymax: null,
        spatial_reference: null,
        properties: null,
        license_info: '',
        access_information: '',
        culture: '',
        data_kind: 'none',
        data_text: null,
        file_name: null,
        file_key: null,
        file_type: null,
        size: 0,
        num_views: 0,
        created: now,
        modified: now,
        ...input.columns,
        ...data,
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
): Promise<{ success: true; id: string }> {
  refuseUnsupported(args);
  const before = await loadOwnedItem(deps.db, viewer, itemId);
  const input = readItemInput(args, 'update');
  const data = input.data ? await dataColumns(deps, input.data) : {};
  await writeOrRemoveFile(deps, data.file_key, () =>
    deps.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('items').selectAll().where('id', '=', itemId).executeTakeFirst();
      if (!current) throw new MeridianError(InvalidItemField, `Item '${itemId}' was deleted meanwhile.`);
      await updateItemRow(trx, current, { ...input.columns, ...data, modified: Date.now() });
    }),
  );
  if (input.data && before.file_key && before.file_key !== data.file_key)
    await removeStoredFile(deps.home, before.file_key).catch(() => {});
  return { success: true, id: itemId };
}

/** content/users/<u>/items/<id>/delete */
export async function deleteItem(
  deps: ContentDeps,
  viewer: Viewer,
  itemId: string,
): Promise<{ success: true; itemId: string }> {
  const row = await loadOwnedItem(deps.db, viewer, itemId);
  await deps.db.transaction().execute((trx) => deleteItemRow(trx, itemId));
  await removeStoredFile(deps.home, row.file_key).catch(() => {});
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
