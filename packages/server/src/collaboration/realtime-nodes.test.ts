/**
 * Sync on a guest of two nodes (one PostgreSQL database, in this process): two nodes starting a
 * sync at once start one run, and exactly
 * one node holds a workspace's real-time watch (a lease in the database), so the guest keeps
 * one long-poll on the host's feed however many nodes it has; a holder that stops releases the
 * watch and the other node takes it over within seconds, and a holder that died without
 * releasing it is replaced once its lease expires, not before.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { addItem, groupItems, type SyncPartners, share, startSyncPartners } from './test-sync.ts';

const ACTIVE = ['submitted', 'started', 'in_progress'];

/** Counts the guest's calls in flight on the host's feed (partnerChanges), and their peak. */
function watchFeedCalls(host: TestPortal) {
  const stats = { inFlight: 0, peak: 0, total: 0 };
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.includes('/partnerChanges')) return;
    stats.total++;
    stats.peak = Math.max(stats.peak, ++stats.inFlight);
    res.once('close', () => stats.inFlight--);
  };
  host.app.server.on('request', onRequest);
  return { stats, stop: () => host.app.server.off('request', onRequest) };
}

async function eventually<T>(read: () => Promise<T | undefined>, what: string, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > until) assert.fail(`not within ${ms} ms: ${what}`);
    await sleep(100);
  }
}

describe('sync on a guest of two nodes (PostgreSQL)', () => {
  let p: SyncPartners;
  let nodeB: TestPortal;
  /** The guest's nodes still running. */
  const live = new Set<TestPortal>();
  const db = () => p.guest.kernel.db.kysely;
  const name = () => `realtime:${p.workspaceId}`;
  const lease = () =>
    db().selectFrom('collaboration_leases').selectAll().where('name', '=', name()).executeTakeFirst();
  const runs = () =>
    db()
      .selectFrom('collaboration_sync_runs')
      .select(['id', 'status', 'created'])
      .where('workspace_id', '=', p.workspaceId)
      .execute();
  const activeRuns = async () => (await runs()).filter((r) => ACTIVE.includes(r.status)).length;
  /** The host shares an item; it reaches the guest's group (read on `node`) within seconds. */
  const arrives = async (node: TestPortal, title: string) => {
    const item = await addItem(p.host, p.hostToken, { title, type: 'Web Map', text: '{}' });
    await share(p.host, p.hostToken, item, p.hostGroup);
    const token = await node.token();
    await eventually(
      async () => (await groupItems(node, token, p.guestGroup)).some((x) => x.title === title) || undefined,
      `'${title}' reaches the guest in real time`,
      15_000,
    );
  };

  before(async () => {
    p = await startSyncPartners({ database: 'postgres' });
    nodeB = await startTestPortal({
      databaseUrl: p.guest.config.database.url,
      secretsKeyFrom: p.guest.home,
      overrides: { publicUrl: p.guest.url },
    });
    live.add(p.guest).add(nodeB);
  });
  after(async () => {
    for (const node of live) await node.close();
    await p?.host.close();
  });

  test('two nodes starting a sync of the workspace at once start one run; the other joins it', async () => {
    const start = (node: TestPortal) =>
      node.modules.collaboration.sync.start(p.collaborationId, p.workspaceId);
    for (let round = 0; round < 5; round++) {
      const [x, y] = await Promise.all([start(p.guest), start(nodeB)]);
      assert.equal(x.syncId, y.syncId, `round ${round}: one run (${JSON.stringify([x, y])})`);
      assert.equal([x, y].filter((r) => r.started).length, 1);
      await eventually(async () => ((await activeRuns()) === 0 ? true : undefined), 'the run ends', 15_000);
    }
  });

  test('one node holds the watch: one long-poll on the host at a time, and host changes arrive', async () => {
    const feed = watchFeedCalls(p.host);
    try {
      await p.guest.call(p.path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
        token: p.guestToken,
        enableRealtimeSync: true,
      });
      // Runs end every few seconds (the host's wait ends), and each end is heard on both nodes.
      let peakRuns = 0;
      const until = Date.now() + 14_000;
      while (Date.now() < until) {
        peakRuns = Math.max(peakRuns, await activeRuns());
        await sleep(50);
      }
      assert.ok(feed.stats.total >= 3, `the guest kept polling the host (${feed.stats.total} calls)`);
      assert.equal(feed.stats.peak, 1, 'one call on the host’s feed at a time');
      assert.equal(peakRuns, 1, 'one run of the workspace at a time');
      const held = await lease();
      assert.ok(
        [p.guest.kernel.bus.nodeId, nodeB.kernel.bus.nodeId].some((n) => n === held?.holder),
        `a node of the guest holds the watch: ${JSON.stringify(held)}`,
      );
      await arrives(nodeB, 'Realtime');
    } finally {
      feed.stop();
    }
  });

  test('the holder stops: it releases the watch, and the other node takes it over within seconds', async () => {
    // Node B is made the holder (the first node owns the test database, which its close drops).
    const b = nodeB.kernel.bus.nodeId;
    const handed = Date.now() + 3_000;
    await db()
      .updateTable('collaboration_leases')
      .set({ holder: b, expires: handed })
      .where('name', '=', name())
      .execute();
    await eventually(
      async () => {
        const l = await lease();
        return l?.holder === b && Number(l.expires) > handed ? true : undefined;
      },
      'node B renews the watch it holds',
      5_000,
    );
    live.delete(nodeB);
    const stopped = Date.now();
    await nodeB.close();
    assert.notEqual((await lease())?.holder, b, 'a stopping node releases its watches');
    await eventually(
      async () => ((await lease())?.holder === p.guest.kernel.bus.nodeId ? true : undefined),
      'the other node holds the watch',
      5_000,
    );
    assert.ok(Date.now() - stopped < 5_000, `taken over after ${Date.now() - stopped} ms`);
    await arrives(p.guest, 'After takeover');
  });

  test('a holder that died without releasing is replaced once its lease expires, not before', async () => {
    const node = p.guest;
    // A node that died holding the watch: its lease stays, unrenewed, until it expires.
    const expires = Date.now() + 8_000;
    await db()
      .updateTable('collaboration_leases')
      .set({ holder: 'dead-node', expires })
      .where('name', '=', name())
      .execute();
    // The run going on ends (the host's wait is at most 5 s); then none starts while the dead node holds it.
    await eventually(
      async () => ((await activeRuns()) === 0 ? true : undefined),
      'the run going on ends',
      7_000,
    );
    const quietFrom = Date.now();
    const before = new Set((await runs()).map((r) => r.id));
    while (Date.now() < expires - 300) {
      assert.equal(await activeRuns(), 0, 'no run while another node holds the watch');
      await sleep(100);
    }
    assert.ok(expires - quietFrom > 500, 'the quiet stretch was observed');
    assert.deepEqual(
      (await runs()).filter((r) => !before.has(r.id)),
      [],
      'no run was started while the lease was held elsewhere',
    );
    await eventually(
      async () => ((await lease())?.holder === node.kernel.bus.nodeId ? true : undefined),
      'the live node took the expired lease over',
      5_000,
    );
    await arrives(node, 'After expiry');
  });
});
