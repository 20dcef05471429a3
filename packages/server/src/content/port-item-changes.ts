/**
 * What other modules read of the item change log (item-changes.ts), with no table access:
 * watch a group (its current items are logged as shared when it becomes watched, so a reader
 * from seq 0 sees the group's whole content), stop watching, read the changes after a cursor,
 * and hear that changes were committed (bus topic content.item_changes, on every node);
 * compaction of superseded entries and of old entries of groups nobody watches.
 */
import { sql } from 'kysely';
import type { Kernel } from '../kernel/kernel.ts';
import {
  compactItemChanges,
  type ItemChangeKind,
  recordItemChanges,
  UNWATCHED_KEEP_MS,
} from './item-changes.ts';
import { ITEM_CHANGES } from './topics.ts';

export interface ItemChange {
  /** Its position in the log: read the next changes after the last seq applied. */
  seq: number;
  groupId: string;
  itemId: string;
  kind: ItemChangeKind;
  at: number;
}

export interface ItemChangePort {
  /** Starts logging the group's changes for `watcher` (idempotent). */
  watch(groupId: string, watcher: string): Promise<void>;
  /** `watcher` no longer watches the group; the group is logged while anyone does. */
  unwatch(groupId: string, watcher: string): Promise<void>;
  /** The changes of the group after `after`, oldest first, at most `limit`. */
  since(groupId: string, after: number, limit: number): Promise<ItemChange[]>;
  /** The last seq of the group's log (0: none). */
  last(groupId: string): Promise<number>;
  /** `fn` is called after item changes were committed (on any node); answers the unsubscribe. */
  onChange(fn: () => void): () => void;
  /**
   * Deletes the entries a later entry of the same item in the same group supersedes (what any
   * reader ends with is unchanged), and those of groups nobody watches older than 7 days
   * before `now` (default: the clock's); the module does it hourly. Answers how many went.
   */
  compact(opts?: { batch?: number; now?: number }): Promise<number>;
}

export function itemChangePort(kernel: Kernel): ItemChangePort {
  const db = kernel.db.kysely;
  return {
    async watch(groupId, watcher) {
      await db.transaction().execute(async (trx) => {
        const watched = await trx
          .selectFrom('content_change_watches')
          .select('watcher')
          .where('group_id', '=', groupId)
          .execute();
        if (watched.some((w) => w.watcher === watcher)) return;
        await trx
          .insertInto('content_change_watches')
          .values({ group_id: groupId, watcher, created: kernel.clock.now() })
          .execute();
        if (watched.length) return;
        const shared = await trx
          .selectFrom('item_shares')
          .select('item_id')
          .where('group_id', '=', groupId)
          .orderBy('shared')
          .orderBy('item_id')
          .execute();
        await recordItemChanges(
          trx,
          shared.map((s) => s.item_id),
          'shared',
          [groupId],
        );
      });
    },
    async unwatch(groupId, watcher) {
      await db
        .deleteFrom('content_change_watches')
        .where('group_id', '=', groupId)
        .where('watcher', '=', watcher)
        .execute();
    },
    async since(groupId, after, limit) {
      const rows = await db
        .selectFrom('content_item_changes')
        .selectAll()
        .where('group_id', '=', groupId)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        seq: Number(r.seq),
        groupId: r.group_id,
        itemId: r.item_id,
        kind: r.kind as ItemChangeKind,
        at: Number(r.at),
      }));
    },
    async last(groupId) {
      const r = await db
        .selectFrom('content_item_changes')
        .select(sql<number | string | null>`max(seq)`.as('m'))
        .where('group_id', '=', groupId)
        .executeTakeFirst();
      return Number(r?.m ?? 0);
    },
    onChange: (fn) => kernel.bus.on(ITEM_CHANGES, () => fn()),
    compact: (opts = {}) =>
      compactItemChanges(db, {
        ...(opts.batch ? { batch: opts.batch } : {}),
        unwatchedBefore: (opts.now ?? kernel.clock.now()) - UNWATCHED_KEEP_MS,
      }),
  };
}

/** Tells every node that item changes were committed (after the transaction). */
export function publishItemChanges(kernel: Kernel): Promise<void> {
  return kernel.bus.publish(ITEM_CHANGES, {});
}
