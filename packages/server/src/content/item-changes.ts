/**
 * The item change log: for each watched group (a collaboration workspace links it), what
 * happened to its items — shared to it, unshared from it, updated (metadata or data), deleted —
 * written in the same transaction as the change, so that a reader with a cursor (the last seq
 * it applied) sees every change once, in commit order. On PostgreSQL a transaction-scoped
 * advisory lock taken by the writing statement makes seq order equal commit order (a reader
 * never sees seq n+1 before n commits); SQLite has one writer at a time anyway.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../kernel/db/column-types.ts';
import type { Database } from '../kernel/db/schema.ts';

export type ItemChangeKind = 'shared' | 'unshared' | 'updated' | 'deleted';

export interface ContentItemChangesTable {
  seq: number;
  group_id: string;
  item_id: string;
  kind: string;
  at: number;
}

export interface ContentChangeWatchesTable {
  group_id: string;
  /** Who watches it (e.g. collaboration:<workspace id>): the group is watched while one does. */
  watcher: string;
  created: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    content_item_changes: ContentItemChangesTable;
    content_change_watches: ContentChangeWatchesTable;
  }
}

/** Any key, the same on every node: the lock that orders writers of the change log. */
const LOG_LOCK = 0x6d657264;

/**
 * Records `kind` for the items in each watched group they are shared with (or only in
 * `groupIds`, for an unshare whose share rows are already gone). Call inside the changing
 * transaction, before the share rows go (deleted, unshared) or after they exist (shared).
 */
export async function recordItemChanges(
  trx: Kysely<Database>,
  itemIds: readonly string[],
  kind: ItemChangeKind,
  groupIds?: readonly string[],
): Promise<void> {
  if (!itemIds.length || (groupIds && !groupIds.length)) return;
  const at = Date.now();
  const lock = isPostgres(trx as unknown as Kysely<unknown>)
    ? sql`(SELECT pg_advisory_xact_lock(${LOG_LOCK}) AS l) lk, `
    : sql``;
  const ids = sql.join(itemIds.map((i) => sql`${i}`));
  if (groupIds) {
    // Unshared: the share rows are gone; the groups are given.
    for (const groupId of groupIds)
      for (const itemId of itemIds)
        await sql`INSERT INTO content_item_changes (group_id, item_id, kind, at)
          SELECT ${groupId}, ${itemId}, ${kind}, ${at} FROM ${lock} content_change_watches w
          WHERE w.group_id = ${groupId} LIMIT 1`.execute(trx);
    return;
  }
  await sql`INSERT INTO content_item_changes (group_id, item_id, kind, at)
    SELECT s.group_id, s.item_id, ${kind}, ${at} FROM ${lock} item_shares s
    WHERE s.item_id IN (${ids})
      AND EXISTS (SELECT 1 FROM content_change_watches w WHERE w.group_id = s.group_id)
    ORDER BY s.item_id, s.group_id`.execute(trx);
}
