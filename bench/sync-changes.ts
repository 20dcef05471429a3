/**
 * The host's changes between the initial and the incremental sync, through the Sharing API:
 * metadata updates (a new title and snippet), data updates (a new version of the file) and
 * unshares from the workspace's group, on gauges spread over the whole range. Answers what
 * the guest should show afterwards and the data bytes the incremental sync should move.
 */
import { expectCase } from './case-failed.ts';
import type { PortalApi } from './sync-api.ts';
import { gaugeData } from './sync-data.ts';

export interface ChangePlan {
  metadata: number;
  data: number;
  unshare: number;
}

/** The 10 changes; smoke: one of each. */
export const FULL_CHANGES: ChangePlan = { metadata: 5, data: 3, unshare: 2 };
export const SMOKE_CHANGES: ChangePlan = { metadata: 1, data: 1, unshare: 1 };

export interface Changed {
  retitled: Map<number, string>;
  /** Gauge → its data version now. */
  newData: Map<number, number>;
  unshared: Set<number>;
  /** Data bytes of the updated files. */
  dataBytes: number;
  count: number;
}

export const retitle = (title: string) => `${title} (recalibrated)`;

/** Distinct gauges spread evenly over 1…count. */
function pick(count: number, how: number): number[] {
  return Array.from({ length: how }, (_, i) => 1 + Math.floor(((i + 0.5) * count) / how));
}

export async function changeOnHost(
  host: PortalApi,
  ids: string[],
  titles: (n: number) => string,
  fileName: (n: number) => string,
  groupId: string,
  plan: ChangePlan,
): Promise<Changed> {
  const total = plan.metadata + plan.data + plan.unshare;
  expectCase(
    total <= ids.length,
    'changes',
    () => `${total} changes need as many items, there are ${ids.length}`,
  );
  const gauges = pick(ids.length, total);
  const c: Changed = {
    retitled: new Map(),
    newData: new Map(),
    unshared: new Set(),
    dataBytes: 0,
    count: total,
  };
  const update = (n: number) => `/sharing/rest/content/users/admin/items/${ids[n - 1]}/update`;
  for (const [i, n] of gauges.entries()) {
    if (i < plan.metadata) {
      const title = retitle(titles(n));
      await host.post(update(n), { title, snippet: `Recalibrated readings of gauge ${n}.` });
      c.retitled.set(n, title);
    } else if (i < plan.metadata + plan.data) {
      const bytes = gaugeData(n, 1);
      await host.upload(update(n), {}, [{ field: 'file', name: fileName(n), bytes, type: 'text/plain' }]);
      c.newData.set(n, 1);
      c.dataBytes += bytes.length;
    } else {
      const r = await host.post(`/sharing/rest/content/items/${ids[n - 1]}/unshare`, { groups: groupId });
      expectCase(!r.notUnsharedFrom?.length, 'unshare', () => JSON.stringify(r));
      c.unshared.add(n);
    }
  }
  return c;
}
