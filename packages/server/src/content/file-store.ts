import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { FileStoreNotShared } from './errors.ts';

const MARKER = '.meridian-store';

async function readMarker(dir: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dir, MARKER), 'utf8')).trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes the marker unless one exists (two nodes on one shared directory race here); returns the marker. */
async function writeMarker(dir: string, id: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(join(dir, MARKER), `${id}\n`, { mode: 0o600, flag: 'wx' });
    return id;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return (await readMarker(dir)) ?? id;
  }
}

/**
 * Makes sure this node's files directory is the portal's file store. The first node to start
 * names the store (a marker file in the directory, the same id in the database); every later
 * node must find that marker in its directory: several nodes of one database share one
 * directory (a network share), or items uploaded through one node would be missing on another.
 * A directory without a marker is named only while the database names no store (a new portal,
 * or one from before stores were named).
 */
export async function claimFileStore(db: Kysely<Database>, dir: string, now: number): Promise<string> {
  const stored = async () =>
    (
      await db
        .selectFrom('content_file_store')
        .select('store_id')
        .where('id', '=', 'current')
        .executeTakeFirst()
    )?.store_id;
  let portalStore = await stored();
  let marker = await readMarker(dir);
  if (!portalStore) {
    marker ??= await writeMarker(dir, randomUUID());
    await db
      .insertInto('content_file_store')
      .values({ id: 'current', store_id: marker, created: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    portalStore = await stored();
  }
  if (marker !== portalStore) {
    // Said at start, to the operator: the message names the directory.
    const why = marker
      ? `${dir} belongs to another portal's file store (${marker}), not this database's (${portalStore})`
      : `${dir} is not this database's file store (${portalStore}): it has no ${MARKER} file`;
    throw new MeridianError(FileStoreNotShared, `${why}. ${FileStoreNotShared.fix}`);
  }
  return portalStore!;
}
