import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { UPLOAD_PREFIX } from './uploaded-file.ts';

/**
 * Removes the temporary upload files an earlier process left in <home>/tmp (a crash or a kill
 * mid-upload). Call at start, before the listener opens: no request of this process is using
 * them. Returns how many were removed.
 */
export async function removeStaleUploads(home: string): Promise<number> {
  const dir = join(home, 'tmp');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(UPLOAD_PREFIX)) continue;
    await unlink(join(dir, name));
    removed++;
  }
  return removed;
}
