import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { recordItemChanges } from './item-changes.ts';
import type { ItemRow } from './item-json.ts';
import { dropItemIndex, indexItem } from './search/index-terms.ts';

type Trx = Transaction<Database> | Kysely<Database>;

/**
 * Inserts an item and its search index entry (call inside a transaction). items.search_text
 * (the phrase text of the former inverted index) is no longer used: the full-text engines
 * hold the words.
 */
export async function insertItemRow(
  trx: Trx,
  row: Omit<ItemRow, 'title_sort' | 'search_text'>,
): Promise<ItemRow> {
  const full = { ...row, title_sort: row.title.toLowerCase(), search_text: '' } as ItemRow;
  await trx.insertInto('items').values(full).execute();
  await indexItem(trx, full);
  return full;
}

/** Writes changed columns and re-indexes the item (call inside a transaction). */
export async function updateItemRow(trx: Trx, before: ItemRow, changes: Partial<ItemRow>): Promise<ItemRow> {
  const after = { ...before, ...changes } as ItemRow;
  after.title_sort = after.title.toLowerCase();
  after.search_text = '';
  const { id: _id, ...columns } = after;
  await trx.updateTable('items').set(columns).where('id', '=', before.id).execute();
  await indexItem(trx, after);
  await recordItemChanges(trx, [before.id], 'updated');
  return after;
}

/** Deletes an item with its shares and index entries (call inside a transaction). */
export async function deleteItemRow(trx: Trx, id: string): Promise<void> {
  await dropItemIndex(trx, id);
  await recordItemChanges(trx, [id], 'deleted');
  await trx.deleteFrom('item_shares').where('item_id', '=', id).execute();
  await trx.deleteFrom('items').where('id', '=', id).execute();
}
