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

/** A new item's row before anything is said of it: untitled, private, in no folder, no data or file. */
export function emptyItemRow(
  id: string,
  owner: string,
  now: number,
): Omit<ItemRow, 'title_sort' | 'search_text'> {
  return {
    id,
    owner,
    folder_id: null,
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
    thumbnail_key: null,
    thumbnail_name: null,
    size: 0,
    num_views: 0,
    created: now,
    modified: now,
  };
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
