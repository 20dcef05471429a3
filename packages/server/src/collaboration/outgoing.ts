/**
 * What this portal sends a partner for a workspace: its linked group's change log after the
 * partner's cursor, folded per item into the item's present state — an upsert with its fields
 * and data (a copy: the file's name, size and SHA-256; a reference: none) while it is shared
 * with the group, else a tombstone (remove). Items this portal received from that partner are
 * not sent back. The cost is the number of changes read, not the size of the group.
 */
import type { SyncItemFields } from '../content/module.ts';
import { type CollaborationContext, selfUrl } from './context.ts';
import { linkOf } from './group-link.ts';
import { stripMarks } from './item-marks.ts';
import { fileSha256 } from './partials.ts';
import type { WorkspaceRow } from './store.ts';
import { receivedByLocal } from './sync-store.ts';

export type WireData =
  | { kind: 'file'; name: string; size: number; contentType: string; sha256: string }
  | { kind: 'text'; text: string }
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
}

export async function outgoingChanges(
  ctx: CollaborationContext,
  w: WorkspaceRow,
  partnerPortalId: string,
  after: number,
  limit: number,
): Promise<Outgoing> {
  const groupId = w.portal_group_id;
  if (!groupId) return { changes: [], last: after, more: false };
  const log = await ctx.content.changes.since(groupId, after, limit);
  const last = log.at(-1)?.seq ?? after;
  // One change per item, at the position of its last entry.
  const lastSeq = new Map<string, number>();
  for (const c of log) lastSeq.set(c.itemId, c.seq);
  const db = ctx.kernel.db.kysely;
  const share = linkOf(w).shareItemsAs;
  const changes: WireChange[] = [];
  for (const [itemId, seq] of [...lastSeq].sort((a, b) => a[1] - b[1])) {
    const links = await receivedByLocal(db, itemId);
    if (
      links.some((l) => l.collaboration_id === w.collaboration_id && l.origin_portal_id === partnerPortalId)
    )
      continue;
    const item = await ctx.content.synced.read(db, itemId);
    if (!item || !(await ctx.content.synced.inGroup(db, itemId, groupId))) {
      changes.push({ seq, originItemId: itemId, op: 'remove' });
      continue;
    }
    // A service (a URL and no data) travels as a reference whatever the link says.
    const as = item.url && item.data.kind === 'none' ? 'reference' : share;
    const data: WireData =
      as === 'reference'
        ? { kind: 'none' }
        : item.data.kind === 'file'
          ? {
              kind: 'file',
              name: item.data.name,
              size: item.data.size,
              contentType: item.data.contentType,
              sha256: await fileSha256(item.data.path!),
            }
          : item.data;
    changes.push({
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
    });
  }
  return { changes, last, more: log.length === limit };
}
