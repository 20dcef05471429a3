/**
 * The sync bench's set-up on the host: N gauge items added through the Sharing API's addItem
 * (multipart, each with its data file) by a few concurrent requests, then shared with the
 * workspace's group by shareItems in batches. Timed apart from the sync: it is set-up.
 */
import { expectCase } from './case-failed.ts';
import type { Json, PortalApi } from './sync-api.ts';
import { type GaugeItem, gaugeItem } from './sync-data.ts';

/** addItem requests in flight at once. */
export const ADD_CONCURRENCY = 4;
/** Items per shareItems request. */
const SHARE_BATCH = 100;

export interface Seeded {
  items: GaugeItem[];
  /** The host's item id of gauge n at index n - 1. */
  ids: string[];
  addMs: number;
  shareMs: number;
  /** Bytes of the data files added. */
  dataBytes: number;
}

/** Runs `task` for 0…count-1, at most `concurrency` at a time. */
async function inPool(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export async function seedHost(
  host: PortalApi,
  groupId: string,
  count: number,
  progress: (done: number) => void,
): Promise<Seeded> {
  const items = Array.from({ length: count }, (_, i) => gaugeItem(i + 1));
  const ids: string[] = new Array(count);
  const added = performance.now();
  let done = 0;
  await inPool(count, ADD_CONCURRENCY, async (i) => {
    const item = items[i]!;
    const r = await host.upload('/sharing/rest/content/users/admin/addItem', item.fields, [
      { field: 'file', name: item.fileName, bytes: item.bytes, type: 'text/plain' },
    ]);
    expectCase(typeof r.id === 'string', 'addItem', () => JSON.stringify(r));
    ids[i] = r.id as string;
    if (++done % 1000 === 0) progress(done);
  });
  const addMs = performance.now() - added;
  const shared = performance.now();
  for (let i = 0; i < count; i += SHARE_BATCH) {
    const batch = ids.slice(i, i + SHARE_BATCH);
    const r = await host.post('/sharing/rest/content/users/admin/shareItems', {
      items: batch.join(','),
      groups: groupId,
    });
    const failed = (r.results as Json[]).filter((x) => x.success !== true || x.notSharedWith?.length);
    expectCase(r.results.length === batch.length && !failed.length, 'shareItems', () =>
      JSON.stringify(failed[0] ?? r).slice(0, 500),
    );
  }
  const shareMs = performance.now() - shared;
  const dataBytes = items.reduce((s, x) => s + x.bytes.length, 0);
  return { items, ids, addMs, shareMs, dataBytes };
}
