/**
 * The sending side of a Feature Service copy: a Feature Service item whose URL is a service of
 * one of this portal's federated servers travels, when the link says copyFeatureServiceData,
 * with the service's features as its data — a GeoJSON export the servers module makes
 * (paged queries, streamed to a file). The export is kept per (item, modified) in
 * .collaboration-exports beside the partial files (shared by the portal's nodes), with its
 * SHA-256 beside it: the feed, the chunks a partner reads (or this portal uploads) and a
 * resumed transfer all see the same bytes. A newer export of an item replaces its older ones.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SyncItem } from '../content/module.ts';
import type { CollaborationContext } from './context.ts';
import { fileSha256 } from './partials.ts';

export const FEATURE_SERVICE = 'Feature Service';

/** An export of a service's features: the file, its size and SHA-256. */
export interface FeaturesExport {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

/** A Feature Service item without data of its own: its features may travel as a copy. */
export const isServiceItem = (item: Pick<SyncItem, 'type' | 'url' | 'data'>) =>
  item.type === FEATURE_SERVICE && Boolean(item.url) && item.data.kind === 'none';

const exportsDir = (ctx: CollaborationContext) => join(dirname(ctx.partialsDir), '.collaboration-exports');

/**
 * The export of the item's service as it is at the item's modified time (made now if it is not
 * kept yet); undefined when the URL is no service of this portal's federated servers. A failed
 * export throws (servers.export_failed, servers.unreachable, …). Two made at once (two nodes)
 * write the same bytes, each to its own temporary file first.
 */
export async function featuresExport(
  ctx: CollaborationContext,
  item: SyncItem,
): Promise<FeaturesExport | undefined> {
  const key = `${item.id}.${item.modified}`;
  const dir = exportsDir(ctx);
  const path = join(dir, `${key}.geojson`);
  const shaPath = join(dir, `${key}.sha256`);
  const name = `${item.id}.geojson`;
  const kept = await readFile(shaPath, 'utf8').catch(() => undefined);
  const size = await stat(path).then(
    (s) => s.size,
    () => undefined,
  );
  if (kept && size !== undefined) return { path, name, size, sha256: kept.trim() };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!(await ctx.servers.exportFeatures(item.url!, path))) return undefined;
  const sha256 = await fileSha256(path);
  const tmp = `${shaPath}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, sha256, { mode: 0o600 });
  await rename(tmp, shaPath);
  // The item's older exports are not announced any more.
  for (const f of await readdir(dir))
    if (f.startsWith(`${item.id}.`) && !f.startsWith(`${key}.`)) await unlink(join(dir, f)).catch(() => {});
  return { path, name, size: (await stat(path)).size, sha256 };
}

/**
 * The file whose bytes a copy of the item carries: its own data file, or the export of its
 * service's features (when the workspace's link copies feature-service data); undefined if none.
 */
export async function copyDataFile(
  ctx: CollaborationContext,
  item: SyncItem,
  copyFeatureServiceData: boolean,
): Promise<{ path: string; size: number } | undefined> {
  if (item.data.kind === 'file' && item.data.path) return { path: item.data.path, size: item.data.size };
  if (!copyFeatureServiceData || !isServiceItem(item)) return undefined;
  const e = await featuresExport(ctx, item);
  return e && { path: e.path, size: e.size };
}
