import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { controlCharIndex } from './control-chars.ts';
import { FolderExists, FolderNotFound, InvalidItemField } from './errors.ts';
import { newId } from './ids.ts';
import { removeStoredFile } from './item-files.ts';
import { runItemDeleteHooks } from './item-port.ts';
import { deleteItemRow } from './item-store.ts';
import type { ContentDeps } from './items.ts';
import { resolveOwner } from './owners.ts';
import type { Viewer } from './viewer.ts';

export interface FolderJson {
  username: string;
  id: string;
  title: string;
  created?: number;
}

const MAX_TITLE = 256;

/** content/users/<u>/createFolder */
export async function createFolder(
  deps: ContentDeps,
  viewer: Viewer,
  username: string,
  title: string,
): Promise<{ success: true; folder: FolderJson }> {
  const owner = await resolveOwner(deps.users, viewer, username);
  const t = title.trim();
  if (t === '' || t.length > MAX_TITLE || controlCharIndex(t) >= 0 || /[/\\]/.test(t))
    throw new MeridianError(
      InvalidItemField,
      `Folder title must be 1 to ${MAX_TITLE} characters without '/', '\\' or control characters.`,
    );
  const id = newId();
  const created = Date.now();
  await deps.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('folders').select(['title']).where('owner', '=', owner).execute();
    if (existing.some((f) => f.title.toLowerCase() === t.toLowerCase()))
      throw new MeridianError(FolderExists, `Folder '${t}' already exists for user '${owner}'.`);
    await trx.insertInto('folders').values({ id, owner, title: t, created }).execute();
  });
  return { success: true, folder: { username: owner, id, title: t } };
}

/** content/users/<u>/<folderId>/delete: the folder and every item in it. */
export async function deleteFolder(
  deps: ContentDeps,
  viewer: Viewer,
  username: string,
  folderId: string,
): Promise<{ success: true; folder: FolderJson }> {
  const owner = await resolveOwner(deps.users, viewer, username);
  const folder = await deps.db
    .selectFrom('folders')
    .selectAll()
    .where('id', '=', folderId)
    .where('owner', '=', owner)
    .executeTakeFirst();
  if (!folder)
    throw new MeridianError(FolderNotFound, `Folder '${folderId}' does not exist for user '${owner}'.`);
  const items = await deps.db
    .selectFrom('items')
    .select(['id', 'file_key', 'thumbnail_key'])
    .where('owner', '=', owner)
    .where('folder_id', '=', folderId)
    .execute();
  await deps.db.transaction().execute(async (trx) => {
    for (const item of items) {
      await runItemDeleteHooks(deps.itemDeleteHooks ?? [], trx, item.id);
      await deleteItemRow(trx, item.id);
    }
    await trx.deleteFrom('folders').where('id', '=', folderId).execute();
  });
  for (const item of items)
    for (const key of [item.file_key, item.thumbnail_key])
      await removeStoredFile(deps.filesDir, key).catch(() => {});
  return { success: true, folder: { username: owner, id: folder.id, title: folder.title } };
}
