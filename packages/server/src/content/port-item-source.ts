import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { storedFilePath } from './item-files.ts';
import { stringList } from './item-json.ts';
import { updateItemRow } from './item-store.ts';

/**
 * What the portal itself reads of and writes to an item for another module, with no caller
 * (the servers module publishing an item's file as a hosted service): the item's descriptive
 * fields and where its data is, and setting those fields on the service item it made.
 */
export interface ItemSource {
  id: string;
  owner: string;
  title: string;
  type: string;
  description: string;
  snippet: string;
  tags: string[];
  /** A stored file (its path in the file store), text kept in the item, or no data. */
  data:
    | { kind: 'file'; path: string; name: string; size: number }
    | { kind: 'text'; text: string }
    | { kind: 'none' };
}

/** The descriptive fields another module may set on an item. */
export interface ItemDescription {
  title?: string;
  description?: string;
  snippet?: string;
  tags?: readonly string[];
}

export async function itemSource(
  db: Kysely<Database>,
  filesDir: string,
  itemId: string,
): Promise<ItemSource | undefined> {
  const row = await db.selectFrom('items').selectAll().where('id', '=', itemId).executeTakeFirst();
  if (!row) return undefined;
  const data: ItemSource['data'] =
    row.data_kind === 'file' && row.file_key
      ? {
          kind: 'file',
          path: storedFilePath(filesDir, row.file_key),
          name: row.file_name ?? row.file_key,
          size: Number(row.size),
        }
      : row.data_kind === 'text' && row.data_text !== null
        ? { kind: 'text', text: row.data_text }
        : { kind: 'none' };
  return {
    id: row.id,
    owner: row.owner,
    title: row.title,
    type: row.type,
    description: row.description,
    snippet: row.snippet,
    tags: stringList(row.tags),
    data,
  };
}

/** Sets an item's descriptive fields (those given) and re-indexes it; no change for an unknown id. */
export async function describeItem(
  db: Kysely<Database>,
  itemId: string,
  fields: ItemDescription,
  now: number,
): Promise<void> {
  const row = await db.selectFrom('items').selectAll().where('id', '=', itemId).executeTakeFirst();
  if (!row) return;
  await updateItemRow(db, row, {
    ...(fields.title !== undefined ? { title: fields.title } : {}),
    ...(fields.description !== undefined ? { description: fields.description } : {}),
    ...(fields.snippet !== undefined ? { snippet: fields.snippet } : {}),
    ...(fields.tags !== undefined ? { tags: JSON.stringify(fields.tags) } : {}),
    modified: now,
  });
}
