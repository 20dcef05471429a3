import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import type { ItemRow } from './item-json.ts';
import { deleteItemTerms, itemTerms, writeItemTerms } from './search/index-terms.ts';

type Trx = Transaction<Database> | Kysely<Database>;

function stringList(text: string): string[] {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Derived columns and index entries of a row: title_sort, search_text, item_terms. */
function indexOf(row: ItemRow) {
  return itemTerms({
    owner: row.owner,
    title: row.title,
    snippet: row.snippet,
    description: row.description,
    type: row.type,
    tags: stringList(row.tags),
    typeKeywords: stringList(row.type_keywords),
  });
}

/** Inserts an item and its search index entries (call inside a transaction). */
export async function insertItemRow(
  trx: Trx,
  row: Omit<ItemRow, 'title_sort' | 'search_text'>,
): Promise<ItemRow> {
  const full = { ...row, title_sort: row.title.toLowerCase(), search_text: '' } as ItemRow;
  const terms = indexOf(full);
  full.search_text = terms.searchText;
  await trx.insertInto('items').values(full).execute();
  await writeItemTerms(trx, full, terms, false);
  return full;
}

/** Writes changed columns and re-indexes the item (call inside a transaction). */
export async function updateItemRow(trx: Trx, before: ItemRow, changes: Partial<ItemRow>): Promise<ItemRow> {
  const after = { ...before, ...changes } as ItemRow;
  after.title_sort = after.title.toLowerCase();
  const terms = indexOf(after);
  after.search_text = terms.searchText;
  const { id: _id, ...columns } = after;
  await trx.updateTable('items').set(columns).where('id', '=', before.id).execute();
  await writeItemTerms(trx, after, terms, true);
  return after;
}

/** Deletes an item with its shares and index entries (call inside a transaction). */
export async function deleteItemRow(trx: Trx, id: string): Promise<void> {
  await deleteItemTerms(trx, id);
  await trx.deleteFrom('item_shares').where('item_id', '=', id).execute();
  await trx.deleteFrom('items').where('id', '=', id).execute();
}
