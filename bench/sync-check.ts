/**
 * What the sync bench checks on the guest, through its Sharing API (search and the item data
 * resource): every item the host shared arrived exactly once in the guest's linked group,
 * marked with its origin, with its title, type and data; and, after the incremental sync, each
 * change applied (new titles, new data, unshared copies kept marked or removed as the guest's
 * link says) and nothing else touched.
 */
import { expectCase } from './case-failed.ts';
import type { Json, PortalApi } from './sync-api.ts';
import { gaugeData, sha256 } from './sync-data.ts';

const PAGE = 100;

export interface Received {
  id: string;
  title: string;
  type: string;
  keywords: string[];
  /** The host's item id (its originItemId mark). */
  origin: string;
}

/** Every item shared with the guest's group, through search paged by title. */
export async function receivedItems(
  guest: PortalApi,
  groupId: string,
): Promise<{ items: Received[]; total: number }> {
  const items: Received[] = [];
  let total = 0;
  for (let start = 1; start > 0; ) {
    const r = await guest.get('/sharing/rest/search', {
      q: `group:${groupId}`,
      sortField: 'title',
      sortOrder: 'asc',
      start,
      num: PAGE,
    });
    total = r.total;
    for (const x of r.results as Json[]) {
      const keywords = (x.typeKeywords ?? []) as string[];
      const origin = keywords.find((k) => k.startsWith('originItemId:'))?.slice('originItemId:'.length) ?? '';
      items.push({ id: x.id, title: x.title, type: x.type, keywords, origin });
    }
    start = r.nextStart;
  }
  return { items, total };
}

/** The received items keyed by the host's item id; fails on an unmarked or duplicated item. */
export function byOrigin(items: Received[], collaborationId: string): Map<string, Received> {
  const map = new Map<string, Received>();
  for (const x of items) {
    expectCase(
      x.origin !== '' &&
        x.keywords.includes('collaborationItem') &&
        x.keywords.includes(`collaborationId:${collaborationId}`),
      'received item marks',
      () => `item ${x.id} (${x.title}) lacks its origin marks: ${x.keywords.join(', ')}`,
    );
    expectCase(
      !map.has(x.origin),
      'no duplicate',
      () => `host item ${x.origin} arrived twice: ${map.get(x.origin)!.id} and ${x.id}`,
    );
    map.set(x.origin, x);
  }
  return map;
}

export interface Expected {
  /** The host's id of gauge n at index n - 1. */
  ids: string[];
  title(n: number): string;
  type(n: number): string;
  /** The data version of gauge n (0 unless its data was updated). */
  version(n: number): number;
  /** Unshared by the host: kept marked collaborationUnsynced, or removed. */
  unshared: Set<number>;
  unsharedCopies: 'keep' | 'delete';
}

/**
 * Checks the guest's group against what the host shared; `dataOf` names the gauges whose data
 * is downloaded and compared by SHA-256. Answers how many items were listed.
 */
export async function checkGuest(
  guest: PortalApi,
  groupId: string,
  collaborationId: string,
  e: Expected,
  dataOf: number[],
): Promise<number> {
  const { items, total } = await receivedItems(guest, groupId);
  const map = byOrigin(items, collaborationId);
  const gone = e.unsharedCopies === 'delete' ? e.unshared.size : 0;
  const want = e.ids.length - gone;
  expectCase(
    items.length === want && total === want,
    'received items',
    () => `the guest's group lists ${items.length} items (search total ${total}), expected ${want}`,
  );
  for (let n = 1; n <= e.ids.length; n++) {
    const origin = e.ids[n - 1]!;
    const x = map.get(origin);
    const unshared = e.unshared.has(n);
    if (unshared && e.unsharedCopies === 'delete') {
      expectCase(!x, 'unshared item removed', () => `gauge ${n}'s copy ${x!.id} is still there`);
      continue;
    }
    expectCase(!!x, 'received items', () => `gauge ${n} (host item ${origin}) did not arrive`);
    expectCase(
      x.title === e.title(n) && x.type === e.type(n),
      'received metadata',
      () => `gauge ${n}: "${x.title}" (${x.type}), expected "${e.title(n)}" (${e.type(n)})`,
    );
    expectCase(
      x.keywords.includes('collaborationUnsynced') === unshared,
      'unshared copy marked',
      () => `gauge ${n}: collaborationUnsynced ${unshared ? 'missing' : 'set'} (${x.keywords.join(', ')})`,
    );
  }
  for (const n of dataOf) {
    const x = map.get(e.ids[n - 1]!);
    if (!x) continue;
    const got = sha256(await guest.bytes(`/sharing/rest/content/items/${x.id}/data`));
    expectCase(
      got === sha256(gaugeData(n, e.version(n))),
      'received data',
      () => `gauge ${n}: the guest's data (item ${x.id}) is not version ${e.version(n)} of the host's`,
    );
  }
  return items.length;
}
