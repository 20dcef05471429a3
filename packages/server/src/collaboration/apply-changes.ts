/**
 * The receiving side of sync (a guest pulling, the host taking a guest's push): each change
 * applied on its own, keyed by its origin (collaboration, origin portal, origin item), so that
 * applying a batch again changes nothing. An upsert creates the item in the workspace's group
 * (marked with its origin) or updates the item made before; last writer wins by the source's
 * modified time against an edit made here since, and the version that lost is recorded. A
 * tombstone removes a reference, and removes or keeps a copy (marked no longer synced) as the
 * link says. The cursor moves past the batch only once every change of it is applied and
 * committed: a run killed anywhere applies the same batch again.
 */
import { copyFile, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReceivedData, SyncItemFields } from '../content/module.ts';
import { isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';
import { placeFeatures } from './apply-features.ts';
import type { CollaborationContext } from './context.ts';
import { CollaborationDataMismatch, CollaborationGroupNotLinked } from './errors.ts';
import { linkOf } from './group-link.ts';
import { marks, stripMarks, UNSYNCED_MARK } from './item-marks.ts';
import type { WireChange } from './outgoing.ts';
import { completePath } from './partials.ts';
import type { WorkspaceRow } from './store.ts';
import type { SyncHistory } from './sync-history.ts';
import { advanceCursor, findReceived, putReceived, type ReceivedRow } from './sync-store.ts';

export interface ApplyInput {
  collaborationId: string;
  workspace: WorkspaceRow;
  /** The partner the changes come from (their origin portal). */
  fromPortalId: string;
  changes: readonly WireChange[];
  /** The partner's seq after these changes: the cursor once they are all applied. */
  upTo: number;
  history: SyncHistory;
  direction: 'received' | 'sent';
}

export async function applyChanges(ctx: CollaborationContext, x: ApplyInput): Promise<{ failed: number }> {
  const groupId = x.workspace.portal_group_id;
  if (!groupId)
    throw new MeridianError(
      CollaborationGroupNotLinked,
      `Workspace '${x.workspace.name}' has no group of this portal linked. ${CollaborationGroupNotLinked.fix}`,
    );
  let failed = 0;
  const used = new Set<string>();
  for (const change of x.changes) {
    try {
      if (change.op === 'remove') await applyRemove(ctx, x, change);
      else await applyUpsert(ctx, x, groupId, change, used);
    } catch (err) {
      if (!isMeridianError(err)) throw err;
      failed++;
      x.history.error({ code: err.code, message: err.message, originItemId: change.originItemId });
    }
  }
  if (!failed) {
    await advanceCursor(
      ctx.kernel.db.kysely,
      x.collaborationId,
      x.workspace.id,
      x.fromPortalId,
      x.upTo,
      ctx.kernel.clock.now(),
    );
    // The transferred files are in the file store now.
    for (const path of used) await unlink(path).catch(() => {});
  }
  return { failed };
}

async function applyUpsert(
  ctx: CollaborationContext,
  x: ApplyInput,
  groupId: string,
  change: WireChange,
  used: Set<string>,
): Promise<void> {
  const db = ctx.kernel.db.kysely;
  const synced = ctx.content.synced;
  const item = change.item!;
  let as = change.as ?? 'copy';
  const row = await findReceived(db, x.collaborationId, x.fromPortalId, change.originItemId);
  const localModified = row ? await synced.modified(db, row.local_item_id) : undefined;
  const existing = row && localModified !== undefined ? row : undefined;
  if (existing && existing.state === 'synced' && item.modified <= Number(existing.origin_modified)) {
    x.history.counts.skipped++;
    await alreadyHere(ctx, existing, used);
    // A copy's service settled again (a run that stopped right after committing it).
    if (existing.kind === 'copy' && item.data.kind === 'features') {
      const url = (await synced.read(db, existing.local_item_id))?.url;
      if (url) await ctx.servers.settle(url, existing.local_item_id);
    }
    return; // this version (or a newer one) is here already
  }
  if (existing && localModified! > Number(existing.applied_modified)) {
    // Edited here since it was received: last writer wins by the modified times.
    const local = await synced.read(db, existing.local_item_id);
    if (localModified! > item.modified) {
      x.history.overwrite({
        originItemId: change.originItemId,
        itemId: existing.local_item_id,
        kept: 'local',
        lost: { title: item.title, modified: item.modified, from: 'partner' },
      });
      await putReceived(db, { ...existing, origin_modified: item.modified, updated: ctx.kernel.clock.now() });
      return;
    }
    x.history.overwrite({
      originItemId: change.originItemId,
      itemId: existing.local_item_id,
      kept: 'incoming',
      lost: { title: local?.title ?? '', modified: localModified!, from: 'local' },
    });
  }
  // A Feature Service copy: its features published on this portal's hosting server (or a reference).
  const features =
    as === 'copy' && item.data.kind === 'features'
      ? await placeFeatures(ctx, x, change, existing, used)
      : undefined;
  if (features?.kind === 'reference') as = 'reference';
  const service = features?.kind === 'service' ? features : undefined;
  const fields: SyncItemFields = {
    title: item.title,
    type: item.type,
    typeKeywords: [
      ...stripMarks(item.typeKeywords).filter((k) => !features || !ctx.servers.isServerKeyword(k)),
      ...(service?.keywords ?? []),
      ...marks(x.collaborationId, x.fromPortalId, change.originItemId),
    ],
    description: item.description,
    snippet: item.snippet,
    tags: item.tags,
    url: as === 'reference' ? (item.url ?? item.originUrl) : (service?.url ?? item.url),
  };
  const sha =
    service?.sha256 ??
    (as === 'copy' && (item.data.kind === 'file' || item.data.kind === 'textFile') ? item.data.sha256 : null);
  let data: ReceivedData | undefined;
  if (as === 'reference' || service) data = { kind: 'none' };
  else if (item.data.kind === 'file') {
    if (existing?.data_sha256 === sha) {
      data = undefined; // the same bytes: kept
      await alreadyHere(ctx, existing, used);
    } else {
      const path = await arrived(
        ctx,
        sha!,
        `The data of item ${change.originItemId} (${item.data.name})`,
        used,
      );
      // A copy goes into the store: the checked file stays for other items with the same bytes.
      const copy = join(
        ctx.partialsDir,
        `${sha}.${ctx.kernel.clock.now()}.${Math.random().toString(16).slice(2)}`,
      );
      await copyFile(path, copy);
      const key = await synced.storeFile(copy);
      data = {
        kind: 'file',
        key,
        name: item.data.name,
        size: item.data.size,
        contentType: item.data.contentType,
      };
    }
  } else if (item.data.kind === 'textFile') {
    // A long text arrived as a file: it is the item's text again.
    if (existing?.data_sha256 === sha) {
      data = undefined;
      await alreadyHere(ctx, existing, used);
    } else {
      const path = await arrived(ctx, sha!, `The text of item ${change.originItemId}`, used);
      data = { kind: 'text', text: await readFile(path, 'utf8') };
    }
  } else if (item.data.kind !== 'features') data = item.data;
  const now = ctx.kernel.clock.now();
  // Read before the transaction: on SQLite a read through another handle inside it would wait for it.
  const owner = existing ? '' : ((await ctx.groups.find(groupId))?.owner ?? 'admin');
  let replaced: string | null = null;
  const localId = await db.transaction().execute(async (trx) => {
    const id = existing ? existing.local_item_id : await synced.create(trx, owner, fields, data!, groupId);
    if (existing) replaced = await synced.update(trx, id, fields, data);
    const next: ReceivedRow = {
      collaboration_id: x.collaborationId,
      origin_portal_id: x.fromPortalId,
      origin_item_id: change.originItemId,
      workspace_id: x.workspace.id,
      local_item_id: id,
      kind: as,
      origin_modified: item.modified,
      applied_modified: (await synced.modified(trx, id)) ?? now,
      data_sha256: sha ?? (data === undefined ? (existing?.data_sha256 ?? null) : null),
      state: 'synced',
      updated: now,
    };
    await putReceived(trx, next);
    // The replaced version's service goes once this commits (retried until it is gone).
    if (service?.retire) await ctx.servers.retire(trx, service.retire, id);
    return id;
  });
  if (replaced) await synced.removeFile(replaced).catch(() => {});
  if (service) await ctx.servers.settle(service.url, localId);
  if (features?.kind === 'reference') x.history.fallback(features.reason);
  x.history.move({
    direction: x.direction,
    op: existing ? 'updated' : 'created',
    as,
    originItemId: change.originItemId,
    itemId: localId,
    title: item.title,
    bytes: data?.kind === 'file' ? data.size : 0,
  });
}

/** The checked file of these bytes (kept in `used`, removed once the batch commits); refused while it has not arrived. */
async function arrived(
  ctx: CollaborationContext,
  sha: string,
  what: string,
  used: Set<string>,
): Promise<string> {
  const path = await completePath(ctx.partialsDir, sha);
  if (!path)
    throw new MeridianError(
      CollaborationDataMismatch,
      `${what} has not arrived: it is taken at the next sync. ${CollaborationDataMismatch.fix}`,
    );
  used.add(path);
  return path;
}

/**
 * The item's bytes are in the store already: a checked file of them left by a run killed after
 * applying it (before the batch's files were removed) goes with this batch's.
 */
async function alreadyHere(ctx: CollaborationContext, row: ReceivedRow, used: Set<string>): Promise<void> {
  const path = row.data_sha256 ? await completePath(ctx.partialsDir, row.data_sha256) : undefined;
  if (path) used.add(path);
}

async function applyRemove(ctx: CollaborationContext, x: ApplyInput, change: WireChange): Promise<void> {
  const db = ctx.kernel.db.kysely;
  const row = await findReceived(db, x.collaborationId, x.fromPortalId, change.originItemId);
  if (row?.state !== 'synced') return;
  const base = {
    direction: x.direction,
    as: row.kind as 'copy' | 'reference',
    originItemId: change.originItemId,
  };
  if (row.kind === 'reference' || linkOf(x.workspace).unsharedCopies === 'delete') {
    // The deletion hook drops the received link in the same transaction.
    await ctx.content.items.deleteAsPortal(row.local_item_id, db);
    x.history.move({ ...base, op: 'deleted', itemId: row.local_item_id });
    return;
  }
  await db.transaction().execute(async (trx) => {
    const item = await ctx.content.synced.read(trx, row.local_item_id);
    if (item)
      await ctx.content.synced.setTypeKeywords(trx, row.local_item_id, [
        ...item.typeKeywords.filter((k) => k !== UNSYNCED_MARK),
        UNSYNCED_MARK,
      ]);
    const applied =
      (await ctx.content.synced.modified(trx, row.local_item_id)) ?? Number(row.applied_modified);
    await putReceived(trx, {
      ...row,
      state: 'unsynced',
      applied_modified: applied,
      updated: ctx.kernel.clock.now(),
    });
  });
  x.history.move({ ...base, op: 'unsynced', itemId: row.local_item_id });
}
