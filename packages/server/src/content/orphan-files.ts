import { readdir, stat, unlink } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { storedFilePath } from './item-files.ts';

export interface OrphanReport {
  /** Stored files no item references. */
  orphans: number;
  /** Of those, removed because they were older than the grace period. */
  removed: number;
  /** Kept because they are recent (an upload may be committing). */
  kept: string[];
}

/** Every file key an item refers to (its data file and its thumbnail). */
async function referencedKeys(db: Kysely<Database>): Promise<Set<string>> {
  const rows = await db.selectFrom('items').select(['file_key', 'thumbnail_key']).execute();
  const keys = new Set<string>();
  for (const r of rows) {
    if (r.file_key) keys.add(r.file_key);
    if (r.thumbnail_key) keys.add(r.thumbnail_key);
  }
  return keys;
}

/**
 * Finds files in the files directory that no item references (left by a crash between storing a
 * file and committing its item, for example) and removes those older than graceMs.
 */
export async function sweepOrphanFiles(
  db: Kysely<Database>,
  dir: string,
  graceMs: number,
  now = Date.now(),
): Promise<OrphanReport> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { orphans: 0, removed: 0, kept: [] };
    throw err;
  }
  const referenced = await referencedKeys(db);
  const report: OrphanReport = { orphans: 0, removed: 0, kept: [] };
  for (const name of names) {
    if (referenced.has(name)) continue;
    let path: string;
    try {
      path = storedFilePath(dir, name);
    } catch {
      continue; // not a name the file store makes: not ours to remove
    }
    report.orphans++;
    const info = await stat(path).catch(() => undefined);
    if (!info) continue;
    if (now - info.mtimeMs > graceMs) {
      await unlink(path).catch(() => {});
      report.removed++;
    } else report.kept.push(name);
  }
  return report;
}
