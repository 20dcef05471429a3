import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { ItemNotFound, NotPermitted } from './errors.ts';
import type { ItemRow } from './item-json.ts';
import { sameUser } from './owners.ts';
import type { Viewer } from './viewer.ts';

export function notFound(): MeridianError {
  return new MeridianError(ItemNotFound, 'Item does not exist or is inaccessible.');
}

export function ownsOrAdministers(viewer: Viewer, row: Pick<ItemRow, 'owner'>): boolean {
  return viewer.isAdmin || sameUser(viewer.username, row.owner);
}

/** The item-visibility rule of the whole portal (search/access-filter.ts is its SQL twin). */
export async function canView(db: Kysely<Database>, viewer: Viewer, row: ItemRow): Promise<boolean> {
  if (row.access === 'public' || ownsOrAdministers(viewer, row)) return true;
  if (!viewer.username) return false;
  if (row.access === 'org') return true;
  const shared = await db
    .selectFrom('item_shares as s')
    .innerJoin('group_members as m', 'm.group_id', 's.group_id')
    .select('s.item_id')
    .where('s.item_id', '=', row.id)
    .where('m.username', '=', viewer.username)
    .executeTakeFirst();
  return shared !== undefined;
}

/** An item the viewer may see; a missing and an invisible item give the same error. */
export async function loadVisibleItem(db: Kysely<Database>, viewer: Viewer, id: string): Promise<ItemRow> {
  const row = await db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !(await canView(db, viewer, row))) throw notFound();
  return row;
}

/** An item the viewer owns or administers (403 if they can only see it). */
export async function loadOwnedItem(db: Kysely<Database>, viewer: Viewer, id: string): Promise<ItemRow> {
  const row = await loadVisibleItem(db, viewer, id);
  if (!ownsOrAdministers(viewer, row))
    throw new MeridianError(
      NotPermitted,
      `Only the owner of item '${id}' or an administrator may change it.`,
    );
  return row;
}
