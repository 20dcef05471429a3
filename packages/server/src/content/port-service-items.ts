import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { newId } from './ids.ts';
import { canView } from './item-access.ts';
import { type ItemDeleteHook, runItemDeleteHooks } from './item-port.ts';
import { deleteItemRow, emptyItemRow, insertItemRow } from './item-store.ts';
import type { Viewer } from './viewer.ts';

/**
 * What the portal itself does to items for other modules (the servers module: the items of a
 * federated server's services), with no caller: create an item that references a URL, find an
 * item by its URL, answer who may read items, delete an item. The access answer is the same
 * rule content/items/<id> applies (item-access.ts canView).
 */
export interface NewUrlItem {
  owner: string;
  title: string;
  type: string;
  url: string;
  typeKeywords: readonly string[];
  tags?: readonly string[];
}

export async function createUrlItem(db: Kysely<Database>, item: NewUrlItem, now: number): Promise<string> {
  const id = newId();
  await insertItemRow(db, {
    ...emptyItemRow(id, item.owner, now),
    title: item.title,
    type: item.type,
    type_keywords: JSON.stringify(item.typeKeywords),
    tags: JSON.stringify(item.tags ?? []),
    url: item.url,
  });
  return id;
}

/** The id of the items whose url is exactly this one (oldest first). */
export async function itemIdsByUrl(db: Kysely<Database>, url: string): Promise<string[]> {
  const rows = await db.selectFrom('items').select('id').where('url', '=', url).orderBy('created').execute();
  return rows.map((r) => r.id);
}

/** The ids of the items that carry this type keyword (exactly, as stored). */
export async function itemIdsByKeyword(db: Kysely<Database>, keyword: string): Promise<string[]> {
  const quoted = JSON.stringify(keyword);
  const rows = await db
    .selectFrom('items')
    .select(['id', 'type_keywords'])
    .where('type_keywords', 'like', `%${quoted}%`) // % and _ only widen it: filtered exactly below
    .execute();
  return rows.filter((r) => (JSON.parse(r.type_keywords) as string[]).includes(keyword)).map((r) => r.id);
}

/** For each id: whether the viewer may read it, and its owner; ids of no item are absent. */
export async function readAccess(
  db: Kysely<Database>,
  itemIds: readonly string[],
  viewer: Viewer,
): Promise<Record<string, { canRead: boolean; owner: string }>> {
  const out: Record<string, { canRead: boolean; owner: string }> = {};
  if (!itemIds.length) return out;
  const rows = await db
    .selectFrom('items')
    .selectAll()
    .where('id', 'in', [...itemIds])
    .execute();
  for (const row of rows) out[row.id] = { canRead: await canView(db, viewer, row), owner: row.owner };
  return out;
}

/**
 * Deletes an item as the portal (its hooks run in the same transaction). Its stored files, if
 * any, are left to the orphan-file sweep at a later start. Whether it existed.
 */
export async function deleteItemAsPortal(
  db: Kysely<Database>,
  hooks: readonly ItemDeleteHook[],
  itemId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('items').select('id').where('id', '=', itemId).executeTakeFirst();
    if (!row) return false;
    await runItemDeleteHooks(hooks, trx, itemId);
    await deleteItemRow(trx, itemId);
    return true;
  });
}
