/**
 * What the collaboration module reads of and writes to items it sends to or receives from a
 * partner portal, as the portal (no caller): an item's fields and data to send; a received
 * item created in (or updated within) the workspace's group; its data file moved into the file
 * store; a share removed. Every write takes the caller's transaction and goes through the item
 * store, so the search index and the item change log stay true.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, unlink } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { newId } from './ids.ts';
import { recordItemChanges } from './item-changes.ts';
import { removeStoredFile, safeContentType, storedFilePath } from './item-files.ts';
import { type ItemRow, stringList } from './item-json.ts';
import { insertItemRow, updateItemRow } from './item-store.ts';
import { refreshSharedAccess } from './share-access.ts';

type Db = Kysely<Database>;

export type SyncItemData =
  | { kind: 'file'; name: string; size: number; contentType: string }
  | { kind: 'text'; text: string }
  | { kind: 'none' };

/** An item's fields as they travel between portals. */
export interface SyncItemFields {
  title: string;
  type: string;
  typeKeywords: string[];
  description: string;
  snippet: string;
  tags: string[];
  url: string | null;
}

export interface SyncItem extends SyncItemFields {
  id: string;
  owner: string;
  modified: number;
  /** A file's path in the file store is given to read it. */
  data: SyncItemData & { path?: string };
}

/** A received item's data: a file already moved into the store (its key), text, or none. */
export type ReceivedData =
  | { kind: 'file'; key: string; name: string; size: number; contentType: string }
  | { kind: 'text'; text: string }
  | { kind: 'none' };

export interface SyncedItemsPort {
  /** The item's fields and data, or undefined. */
  read(db: Db, itemId: string): Promise<SyncItem | undefined>;
  /** Whether the item is shared with the group. */
  inGroup(db: Db, itemId: string, groupId: string): Promise<boolean>;
  /** Moves a verified file into the file store (same file system as `path` or a copy); its key. */
  storeFile(path: string): Promise<string>;
  /** Removes a stored file no item uses any more (after the transaction that replaced it committed). */
  removeFile(key: string): Promise<void>;
  /** Creates a private item owned by `owner`, shared with `groupId`; its id. */
  create(db: Db, owner: string, fields: SyncItemFields, data: ReceivedData, groupId: string): Promise<string>;
  /**
   * Replaces the item's fields, and its data unless `data` is undefined (it stays shared as it
   * is); the file key it replaced, if any (remove it once the transaction committed).
   */
  update(db: Db, itemId: string, fields: SyncItemFields, data?: ReceivedData): Promise<string | null>;
  /** The item's modified time, or undefined when there is no such item. */
  modified(db: Db, itemId: string): Promise<number | undefined>;
  /** Sets the type keywords (the marks of a received item). */
  setTypeKeywords(db: Db, itemId: string, keywords: string[]): Promise<void>;
}

type DataColumns = Pick<ItemRow, 'data_kind' | 'data_text' | 'file_key' | 'file_name' | 'file_type' | 'size'>;

function dataColumns(d: ReceivedData): DataColumns {
  if (d.kind === 'file')
    return {
      data_kind: 'file',
      data_text: null,
      file_key: d.key,
      file_name: d.name.slice(0, 400),
      file_type: safeContentType(d.contentType),
      size: d.size,
    };
  if (d.kind === 'text')
    return {
      data_kind: 'text',
      data_text: d.text,
      file_key: null,
      file_name: null,
      file_type: null,
      size: Buffer.byteLength(d.text),
    };
  return { data_kind: 'none', data_text: null, file_key: null, file_name: null, file_type: null, size: 0 };
}

function fieldColumns(
  f: SyncItemFields,
): Pick<ItemRow, 'title' | 'type' | 'type_keywords' | 'description' | 'snippet' | 'tags' | 'url'> {
  return {
    title: f.title,
    type: f.type,
    type_keywords: JSON.stringify(f.typeKeywords),
    description: f.description,
    snippet: f.snippet,
    tags: JSON.stringify(f.tags),
    url: f.url,
  };
}

export function syncedItemsPort(filesDir: string): SyncedItemsPort {
  const row = (db: Db, id: string) =>
    db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
  return {
    async read(db, itemId) {
      const r = await row(db, itemId);
      if (!r) return undefined;
      const data: SyncItem['data'] =
        r.data_kind === 'file' && r.file_key
          ? {
              kind: 'file',
              name: r.file_name ?? 'file',
              size: Number(r.size),
              contentType: r.file_type ?? 'application/octet-stream',
              path: storedFilePath(filesDir, r.file_key),
            }
          : r.data_kind === 'text' && r.data_text !== null
            ? { kind: 'text', text: r.data_text }
            : { kind: 'none' };
      return {
        id: r.id,
        owner: r.owner,
        title: r.title,
        type: r.type,
        typeKeywords: stringList(r.type_keywords),
        description: r.description,
        snippet: r.snippet,
        tags: stringList(r.tags),
        url: r.url,
        modified: Number(r.modified),
        data,
      };
    },
    async inGroup(db, itemId, groupId) {
      const s = await db
        .selectFrom('item_shares')
        .select('item_id')
        .where('item_id', '=', itemId)
        .where('group_id', '=', groupId)
        .executeTakeFirst();
      return Boolean(s);
    },
    async storeFile(path) {
      const key = randomBytes(16).toString('hex');
      await mkdir(filesDir, { recursive: true, mode: 0o700 });
      const target = storedFilePath(filesDir, key);
      await rename(path, target).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EXDEV') throw err;
        // Another file system: copied, then the source removed.
        await copyFile(path, target);
        await unlink(path);
      });
      return key;
    },
    removeFile: (key) => removeStoredFile(filesDir, key),
    async create(db, owner, fields, data, groupId) {
      const id = newId();
      const now = Date.now();
      await insertItemRow(db, {
        id,
        owner,
        folder_id: null,
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
        thumbnail_key: null,
        thumbnail_name: null,
        num_views: 0,
        created: now,
        modified: now,
        ...fieldColumns(fields),
        ...dataColumns(data),
      });
      await db.insertInto('item_shares').values({ item_id: id, group_id: groupId, shared: now }).execute();
      await recordItemChanges(db, [id], 'shared', [groupId]);
      await refreshSharedAccess(db, [id]);
      return id;
    },
    async update(db, itemId, fields, data) {
      const r = await row(db, itemId);
      if (!r) return null;
      await updateItemRow(db, r, {
        ...fieldColumns(fields),
        ...(data ? dataColumns(data) : {}),
        modified: Date.now(),
      });
      if (!data) return null;
      return r.file_key && r.file_key !== (data.kind === 'file' ? data.key : null) ? r.file_key : null;
    },
    async modified(db, itemId) {
      const r = await db.selectFrom('items').select('modified').where('id', '=', itemId).executeTakeFirst();
      return r ? Number(r.modified) : undefined;
    },
    async setTypeKeywords(db, itemId, keywords) {
      const r = await row(db, itemId);
      if (r) await updateItemRow(db, r, { type_keywords: JSON.stringify(keywords) });
    },
  };
}
