/**
 * The item change log: for each watched group (a collaboration workspace links it), what
 * happened to its items — shared to it, unshared from it, updated (metadata or data), deleted —
 * written in the same transaction as the change, so that a reader with a cursor (the last seq
 * it applied) sees every change once, in commit order. On PostgreSQL a transaction-scoped
 * advisory lock taken by the writing statement makes seq order equal commit order (a reader
 * never sees seq n+1 before n commits); SQLite has one writer at a time anyway.
 *
 * Compaction deletes the entries a later entry of the same item in the same group supersedes:
 * a reader whose cursor lies before the later entry still reads it, and readers fold the log
 * per item into the item's present state anyway, so what any reader ends with is unchanged;
 * every item keeps its last entry (a reader from 0 still sees every item of the group).
 *
 * It also deletes the entries of groups nobody watches any more (no workspace links them) once
 * they are older than a retention period: nobody reads them (a group watched again logs its
 * items afresh), and the period lets a group unlinked by mistake be linked back with its log.
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

/** Entries compaction looks at per statement (a range of seq, so each batch is cheap). */
const COMPACT_BATCH = 2_000;

/** How long the entries of a group nobody watches any more are kept: 7 days. */
export const UNWATCHED_KEEP_MS = 7 * 24 * 3_600_000;

/**
 * Deletes the log's superseded entries (a later entry of the same item in the same group
 * exists), and with `unwatchedBefore` the entries of groups nobody watches written before it,
 * batch by batch in seq order; answers how many went. Safe while writers and readers run: an
 * entry is deleted only when a later one of its item is committed, or when no reader is left.
 */
export async function compactItemChanges(
  db: Kysely<Database>,
  opts: { batch?: number; signal?: AbortSignal; unwatchedBefore?: number } = {},
): Promise<number> {
  const batch = opts.batch ?? COMPACT_BATCH;
  let from = 0;
  let removed = 0;
  for (;;) {
    if (opts.signal?.aborted) break;
    const upTo = await db
      .selectFrom('content_item_changes')
      .select('seq')
      .where('seq', '>', from)
      .orderBy('seq')
      .offset(batch - 1)
      .limit(1)
      .executeTakeFirst();
    const end = upTo ? Number(upTo.seq) : undefined;
    const range = sql`seq > ${from} ${end === undefined ? sql`` : sql`AND seq <= ${end}`}`;
    const r = await sql`DELETE FROM content_item_changes
      WHERE ${range}
        AND EXISTS (SELECT 1 FROM content_item_changes later
          WHERE later.group_id = content_item_changes.group_id
            AND later.item_id = content_item_changes.item_id
            AND later.seq > content_item_changes.seq)`.execute(db);
    removed += Number(r.numAffectedRows ?? 0);
    if (opts.unwatchedBefore !== undefined) {
      const u = await sql`DELETE FROM content_item_changes
        WHERE ${range} AND at < ${opts.unwatchedBefore}
          AND NOT EXISTS (SELECT 1 FROM content_change_watches w
            WHERE w.group_id = content_item_changes.group_id)`.execute(db);
      removed += Number(u.numAffectedRows ?? 0);
    }
    if (end === undefined) return removed;
    from = end;
  }
  return removed;
}
