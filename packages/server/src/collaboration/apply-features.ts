/**
 * The receiving side of a Feature Service copy: the GeoJSON of its features (arrived, checked
 * by SHA-256, in the partials directory) published on this portal's hosting server, through the
 * servers module, as a service whose name comes from the copy's origin (collaboration, origin
 * portal, origin item) and data version. A run killed after the service was made finds it by
 * that name next time and makes no second one. A new version is a new service: the received item
 * moves to it and the old one is retired in the same transaction (apply-changes.ts), so a failed
 * publish loses nothing. A receiver that cannot publish (no hosting server, the server refuses)
 * keeps a reference to the source service when the sender allows it (byRefIfFail) and the item
 * has no copy here yet; otherwise the change fails with the servers module's error.
 */
import { createHash } from 'node:crypto';
import { isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';
import type { CollaborationContext } from './context.ts';
import { CollaborationDataMismatch } from './errors.ts';
import type { WireChange } from './outgoing.ts';
import { completePath } from './partials.ts';
import type { SyncError } from './sync-history.ts';
import type { ReceivedRow } from './sync-store.ts';

export type FeaturesOutcome =
  /** The service the item points at: published now (`retire`: the replaced version's), or kept. */
  | { kind: 'service'; url: string; keywords: string[]; sha256: string; retire?: string | undefined }
  /** Not published here: the item is a reference to the source service, for this reason. */
  | { kind: 'reference'; reason: SyncError };

/** The service name of a copy: the same for the same origin and data version, unique otherwise. */
export function copyServiceName(
  collaborationId: string,
  originPortalId: string,
  originItemId: string,
  sha256: string,
): string {
  const origin = createHash('sha256')
    .update(`${collaborationId}\n${originPortalId}\n${originItemId}`)
    .digest('hex');
  return `copy_${origin.slice(0, 24)}_${sha256.slice(0, 12)}`;
}

export async function placeFeatures(
  ctx: CollaborationContext,
  x: { collaborationId: string; fromPortalId: string },
  change: WireChange,
  existing: ReceivedRow | undefined,
  used: Set<string>,
): Promise<FeaturesOutcome> {
  const item = change.item!;
  if (item.data.kind !== 'features') throw new Error('placeFeatures: not a features copy');
  const { sha256, byRefIfFail } = item.data;
  const db = ctx.kernel.db.kysely;
  const local = existing ? await ctx.content.synced.read(db, existing.local_item_id) : undefined;
  const copyHere = existing?.kind === 'copy' && existing.data_sha256 && local?.url ? local : undefined;
  if (copyHere && existing?.data_sha256 === sha256) {
    const path = await completePath(ctx.partialsDir, sha256);
    if (path) used.add(path);
    return {
      kind: 'service',
      url: copyHere.url!,
      keywords: copyHere.typeKeywords.filter((k) => ctx.servers.isServerKeyword(k)),
      sha256,
    };
  }
  try {
    await ctx.servers.requireHostingServer();
    const path = await completePath(ctx.partialsDir, sha256);
    if (!path)
      throw new MeridianError(
        CollaborationDataMismatch,
        `The features of item ${change.originItemId} (${item.data.name}) have not arrived: they are taken at the next sync. ${CollaborationDataMismatch.fix}`,
      );
    used.add(path);
    const published = await ctx.servers.publish({
      name: copyServiceName(x.collaborationId, x.fromPortalId, change.originItemId, sha256),
      path,
      description: item.description,
    });
    return {
      kind: 'service',
      url: published.url,
      keywords: published.keywords,
      sha256,
      retire: copyHere?.url && copyHere.url !== published.url ? copyHere.url : undefined,
    };
  } catch (err) {
    if (!isMeridianError(err) || err.code === CollaborationDataMismatch.code) throw err;
    // A copy here stays as it is rather than turn into a reference (nothing is lost).
    if (!byRefIfFail || copyHere) throw err;
    return {
      kind: 'reference',
      reason: {
        code: err.code,
        message: `Kept as a reference to the source service: ${err.message}`,
        originItemId: change.originItemId,
      },
    };
  }
}
