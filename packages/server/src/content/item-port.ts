import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { canView } from './item-access.ts';
import { stringList } from './item-json.ts';
import { updateItemRow } from './item-store.ts';
import { describeItem, type ItemDescription, type ItemSource, itemSource } from './port-item-source.ts';
import {
  createUrlItem,
  deleteItemAsPortal,
  itemIdsByKeyword,
  itemIdsByUrl,
  type NewUrlItem,
  readAccess,
} from './port-service-items.ts';
import type { Viewer } from './viewer.ts';

/** What another module may know of an item (read through ContentApi.items). */
export interface ItemSummary {
  id: string;
  owner: string;
  title: string;
  type: string;
  typeKeywords: string[];
  /** The URL it references (a service's), or null. */
  url: string | null;
}

export type { ItemDescription, ItemSource, NewUrlItem };

/**
 * Runs inside the transaction that deletes an item (content/users/<u>/items/<id>/delete, a
 * folder's deletion): what hangs on the item in another module goes with it, or nothing does.
 */
export type ItemDeleteHook = (trx: Kysely<Database>, itemId: string) => Promise<void>;

/** What other modules may ask of and do to items: a small, explicit surface (no table access). */
export interface ItemPort {
  /**
   * The item, or undefined when it does not exist or `viewer` may not see it (the same answer
   * for both, as content/items/<id> gives). Pass `db` as a transaction to read inside one.
   */
  get(db: Kysely<Database>, itemId: string, viewer: Viewer): Promise<ItemSummary | undefined>;
  /** Appends a type keyword (no change if present, compared case-insensitively); re-indexes the item. */
  addTypeKeyword(db: Kysely<Database>, itemId: string, keyword: string): Promise<void>;
  /** Removes a type keyword (case-insensitively); re-indexes the item. No change if absent. */
  removeTypeKeyword(db: Kysely<Database>, itemId: string, keyword: string): Promise<void>;
  /** Registers a hook run inside every item deletion's transaction (see ItemDeleteHook). */
  onItemDelete(hook: ItemDeleteHook): void;
  /** Creates a private item that references a URL (a service), as the portal; answers its id. */
  createUrlItem(db: Kysely<Database>, item: NewUrlItem): Promise<string>;
  /** The ids of the items that reference exactly this URL, oldest first. */
  itemIdsByUrl(db: Kysely<Database>, url: string): Promise<string[]>;
  /** The ids of the items that carry exactly this type keyword. */
  itemIdsByKeyword(db: Kysely<Database>, keyword: string): Promise<string[]>;
  /**
   * Whether `viewer` may read each item (content's rule: public, org, shared with a group of
   * theirs, owner, administrators), and its owner; ids of no item are absent from the answer.
   */
  readAccess(
    db: Kysely<Database>,
    itemIds: readonly string[],
    viewer: Viewer,
  ): Promise<Record<string, { canRead: boolean; owner: string }>>;
  /** Deletes an item as the portal, in its own transaction, its deletion hooks included; whether it existed. */
  deleteAsPortal(itemId: string, db: Kysely<Database>): Promise<boolean>;
  /** An item's descriptive fields and where its data is, as the portal (no viewer check); undefined if none. */
  source(db: Kysely<Database>, itemId: string): Promise<ItemSource | undefined>;
  /** Sets an item's descriptive fields as the portal (those given); re-indexes it. */
  describe(db: Kysely<Database>, itemId: string, fields: ItemDescription): Promise<void>;
}

async function changeKeywords(
  db: Kysely<Database>,
  itemId: string,
  change: (keywords: string[]) => string[],
): Promise<void> {
  const row = await db.selectFrom('items').selectAll().where('id', '=', itemId).executeTakeFirst();
  if (!row) return;
  const before = stringList(row.type_keywords);
  const after = change(before);
  if (after.length === before.length && after.every((k, i) => k === before[i])) return;
  await updateItemRow(db, row, { type_keywords: JSON.stringify(after) });
}

/**
 * The item port over content's tables; `hooks` is the list item deletions run
 * (ContentDeps.itemDeleteHooks), `filesDir` the file store items' data files are in.
 */
export function itemPort(hooks: ItemDeleteHook[], filesDir: string): ItemPort {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return {
    async get(db, itemId, viewer) {
      const row = await db.selectFrom('items').selectAll().where('id', '=', itemId).executeTakeFirst();
      if (!row || !(await canView(db, viewer, row))) return undefined;
      return {
        id: row.id,
        owner: row.owner,
        title: row.title,
        type: row.type,
        typeKeywords: stringList(row.type_keywords),
        url: row.url,
      };
    },
    addTypeKeyword: (db, itemId, keyword) =>
      changeKeywords(db, itemId, (kws) => (kws.some((k) => same(k, keyword)) ? kws : [...kws, keyword])),
    removeTypeKeyword: (db, itemId, keyword) =>
      changeKeywords(db, itemId, (kws) => kws.filter((k) => !same(k, keyword))),
    onItemDelete(hook) {
      hooks.push(hook);
    },
    createUrlItem: (db, item) => createUrlItem(db, item, Date.now()),
    itemIdsByUrl,
    itemIdsByKeyword,
    readAccess,
    deleteAsPortal: (itemId, db) => deleteItemAsPortal(db, hooks, itemId),
    source: (db, itemId) => itemSource(db, filesDir, itemId),
    describe: (db, itemId, fields) => describeItem(db, itemId, fields, Date.now()),
  };
}

/** Runs the registered deletion hooks for an item (call inside the deleting transaction). */
export async function runItemDeleteHooks(
  hooks: readonly ItemDeleteHook[],
  trx: Kysely<Database>,
  itemId: string,
): Promise<void> {
  for (const hook of hooks) await hook(trx, itemId);
}
