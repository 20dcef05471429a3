/**
 * What this portal sends a partner for a workspace: its linked group's change log after the
 * partner's cursor, folded per item into the item's present state — an upsert with its fields
 * and data (a copy: the file's name, size and SHA-256, with its bytes when it is small, or its
 * text — inline-data.ts; a reference: none) while it is shared with the group, else a
 * tombstone (remove). A service (a URL and no data) travels as a
 * reference, unless the link copies feature-service data and the service is one of this
 * portal's federated servers': then as a copy whose data is its features (feature-copies.ts). Items this portal received from that partner are
 * not sent back. The cost is the number of changes read, not the size of the group. A batch
 * stays within its byte budget: it ends early (more) before the change that would pass it, and
 * a change is never split.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SyncItem, SyncItemFields } from '../content/module.ts';
import { type CollaborationContext, selfUrl } from './context.ts';
import { exportWithin, isServiceItem } from './feature-copies.ts';
import { linkOf } from './group-link.ts';
import { type Budget, FEED_BUDGET, INLINE_MAX_BYTES } from './inline-data.ts';
import { stripMarks } from './item-marks.ts';
import { fileSha256 } from './partials.ts';
import type { WorkspaceRow } from './store.ts';
import { receivedByLocal } from './sync-store.ts';

export type WireData =
  | {
      kind: 'file';
      name: string;
      size: number;
      contentType: string;
      sha256: string;
      /** The file's bytes (base64) when it is small: no chunk is fetched. */
      inline?: string;
    }
  | { kind: 'text'; text: string }
  /** A text too long to travel in its change: its UTF-8 bytes travel as a file, chunk by chunk. */
  | { kind: 'textFile'; size: number; sha256: string }
  /**
   * A Feature Service copy: its features as GeoJSON (the file a partner fetches chunk by chunk),
   * published by the receiver on its own hosting server; `byRefIfFail` (the sender's
   * copyByRefIfCopyFail): a receiver that cannot publish it keeps a reference instead.
   */
  | { kind: 'features'; name: string; size: number; sha256: string; byRefIfFail: boolean }
  | { kind: 'none' };

export interface WireItem extends SyncItemFields {
  modified: number;
  /** The item on its portal: a reference points at it. */
  originUrl: string;
  data: WireData;
}

export interface WireChange {
  seq: number;
  originItemId: string;
  op: 'upsert' | 'remove';
  as?: 'copy' | 'reference';
  item?: WireItem;
}

export interface Outgoing {
  changes: WireChange[];
  /** The last seq read: the partner's cursor once it applied these. */
  last: number;
  /** More changes wait after `last`. */
  more: boolean;
  /**
   * The batch ends before this item's change: its service's features are still being exported
   * (in the background). Not ready yet: ask again (after `retryAfterMs`) from `last`.
   */
  pending?: { originItemId: string; retryAfterMs: number };
}

/** How soon a partner asks again for a change whose features are being exported. */
export const EXPORT_RETRY_MS = 1_000;

export async function outgoingChanges(
  ctx: CollaborationContext,
  w: WorkspaceRow,
  partnerPortalId: string,
  after: number,
  limit: number,
  /** Until when (epoch ms) a service's export may be waited for (the feed's answer is due); default: as long as it takes. */
  exportBy = Number.POSITIVE_INFINITY,
  budget: Budget = FEED_BUDGET,
): Promise<Outgoing> {
  const groupId = w.portal_group_id;
  if (!groupId) return { changes: [], last: after, more: false };
  const log = await ctx.content.changes.since(groupId, after, limit);
  const last = log.at(-1)?.seq ?? after;
  // One change per item, at the position of its last entry.
  const lastSeq = new Map<string, number>();
  for (const c of log) lastSeq.set(c.itemId, c.seq);
  const db = ctx.kernel.db.kysely;
  const link = linkOf(w);
  const share = link.shareItemsAs;
  const changes: WireChange[] = [];
  let spent = 0;
  /** The last seq handled: the cursor when the budget ends the batch early. */
  let handled = after;
  const fits = (change: WireChange) => {
    const cost = budget.cost(change);
    if (changes.length && spent + cost > budget.bytes) return false;
    spent += cost;
    changes.push(change);
    handled = change.seq;
    return true;
  };
  for (const [itemId, seq] of [...lastSeq].sort((a, b) => a[1] - b[1])) {
    const links = await receivedByLocal(db, itemId);
    if (
      links.some((l) => l.collaboration_id === w.collaboration_id && l.origin_portal_id === partnerPortalId)
    ) {
      handled = seq;
      continue;
    }
    // Received from another partner whose origin unshared or deleted it (kept here, no longer
    // synced): the other partners are told as the origin told this portal, with a tombstone.
    const ended = links.some((l) => l.collaboration_id === w.collaboration_id && l.state === 'unsynced');
    const item = ended ? undefined : await ctx.content.synced.read(db, itemId);
    if (!item || !(await ctx.content.synced.inGroup(db, itemId, groupId))) {
      if (!fits({ seq, originItemId: itemId, op: 'remove' })) return { changes, last: handled, more: true };
      continue;
    }
    const service = Boolean(item.url) && item.data.kind === 'none';
    const features = service && share === 'copy' ? await serviceCopy(ctx, link, item, exportBy) : undefined;
    if (features === 'pending')
      return {
        changes,
        last: seq - 1,
        more: true,
        pending: { originItemId: itemId, retryAfterMs: EXPORT_RETRY_MS },
      };
    const as = service && !features ? 'reference' : share;
    const data: WireData = features ?? (as === 'reference' ? { kind: 'none' } : await copyData(item, true));
    const change: WireChange = {
      seq,
      originItemId: itemId,
      op: 'upsert',
      as,
      item: {
        title: item.title,
        type: item.type,
        typeKeywords: stripMarks(item.typeKeywords),
        description: item.description,
        snippet: item.snippet,
        tags: item.tags,
        url: item.url,
        modified: item.modified,
        originUrl: `${selfUrl(ctx)}/sharing/rest/content/items/${itemId}`,
        data,
      },
    };
    // Alone past the budget (its metadata is large): its data travels apart.
    if (!changes.length && !features && as === 'copy' && budget.cost(change) > budget.bytes)
      change.item!.data = await copyData(item, false);
    if (!fits(change)) return { changes, last: handled, more: true };
  }
  return { changes, last, more: log.length === limit };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * A copy's own data as it travels: with `inline`, a small file's bytes and a short text in the
 * change; else a file's description and a text as a file, fetched chunk by chunk.
 */
async function copyData(item: SyncItem, inline: boolean): Promise<WireData> {
  const d = item.data;
  if (d.kind === 'file') {
    const file = { kind: 'file' as const, name: d.name, size: d.size, contentType: d.contentType };
    if (!inline || d.size > INLINE_MAX_BYTES) return { ...file, sha256: await fileSha256(d.path!) };
    const bytes = await readFile(d.path!);
    return { ...file, size: bytes.length, sha256: sha256(bytes), inline: bytes.toString('base64') };
  }
  if (d.kind === 'text') {
    const bytes = Buffer.from(d.text);
    if (inline && bytes.length <= INLINE_MAX_BYTES) return { kind: 'text', text: d.text };
    return { kind: 'textFile', size: bytes.length, sha256: sha256(bytes) };
  }
  return { kind: 'none' };
}

/**
 * A service's features as a copy's data, when the link copies feature-service data and the
 * service is one of this portal's federated servers'; undefined: it travels as a reference
 * (also when the export fails and the link allows a reference then — else the failure is the
 * feed's, and the partner's sync records it).
 */
async function serviceCopy(
  ctx: CollaborationContext,
  link: ReturnType<typeof linkOf>,
  item: SyncItem,
  exportBy: number,
): Promise<WireData | undefined | 'pending'> {
  if (!link.copyFeatureServiceData || !isServiceItem(item)) return undefined;
  try {
    const e = await exportWithin(ctx, item, Math.max(0, exportBy - Date.now()));
    if (e === 'pending') return e;
    return (
      e && {
        kind: 'features',
        name: e.name,
        size: e.size,
        sha256: e.sha256,
        byRefIfFail: link.copyByRefIfCopyFail,
      }
    );
  } catch (err) {
    if (!link.copyByRefIfCopyFail) throw err;
    ctx.kernel.log.warn(
      { err, itemId: item.id, url: item.url },
      'collaboration: exporting a feature service for a copy failed; it travels as a reference',
    );
    return undefined;
  }
}
