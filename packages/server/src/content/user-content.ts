import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { FolderNotFound, InvalidItemField } from './errors.ts';
import { itemJson } from './item-json.ts';
import type { ContentDeps } from './items.ts';
import { resolveOwner } from './owners.ts';
import type { Viewer } from './viewer.ts';

/** content/users/<u>[/<folderId>]: one page of a folder's items (newest first) and every folder. */
export async function userContent(
  deps: ContentDeps,
  viewer: Viewer,
  username: string,
  folderId: string | null,
  start = 1,
  num = 10,
): Promise<Record<string, unknown>> {
  if (start < 1 || num < 0 || num > 100)
    throw new MeridianError(InvalidItemField, 'start is 1-based; num is 0 to 100.');
  const owner = await resolveOwner(deps.users, viewer, username);
  const folders = await deps.db
    .selectFrom('folders')
    .selectAll()
    .where('owner', '=', owner)
    .orderBy('created', 'asc')
    .execute();
  const current = folderId ? folders.find((f) => f.id === folderId) : undefined;
  if (folderId && !current)
    throw new MeridianError(FolderNotFound, `Folder '${folderId}' does not exist for user '${owner}'.`);
  const inFolder = deps.db
    .selectFrom('items')
    .where('owner', '=', owner)
    .where('folder_id', folderId ? '=' : 'is', folderId);
  const { n } = await inFolder
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const total = Number(n);
  const rows = await inFolder
    .selectAll()
    .orderBy('created', 'desc')
    .orderBy('id', 'asc')
    .limit(num)
    .offset(start - 1)
    .execute();
  const orgId = await deps.orgId();
  return {
    username: owner,
    total,
    start,
    num,
    nextStart: start + num <= total && num > 0 ? start + num : -1,
    currentFolder: current
      ? { username: owner, id: current.id, title: current.title, created: current.created }
      : null,
    items: rows.map((r) => itemJson(r, orgId)),
    folders: folders.map((f) => ({ username: owner, id: f.id, title: f.title, created: f.created })),
  };
}
