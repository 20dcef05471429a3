/**
 * Stopping portals in the middle of sync (two real portals in this process, SQLite and
 * PostgreSQL): the host stops promptly while a guest's long-poll on its feed waits (the wait
 * ends as "no change"), and the guest stops promptly while its real-time run waits on the host
 * (the partner call is aborted; the run stays resumable).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Json } from './test-partners.ts';
import { type SyncPartners, startSyncPartners } from './test-sync.ts';

const ACTIVE = ['submitted', 'started', 'in_progress'];

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`collaboration stop (${database})`, () => {
    let p: SyncPartners;
    let closed = false;
    before(async () => {
      p = await startSyncPartners({ database });
    });
    after(async () => {
      if (!closed) await p?.close();
    });

    test('both portals stop within seconds with long-polls in progress on both sides', async () => {
      await p.guest.call(p.path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
        token: p.guestToken,
        enableRealtimeSync: true,
      });
      const cfg = await p.guest.call(
        p.path(`workspaces/${p.workspaceId}/configSync`),
        { token: p.guestToken },
        { method: 'GET' },
      );
      assert.equal(cfg.enableRealtimeSync, true, JSON.stringify(cfg));
      // A real-time run is in progress on the guest (pushing, then waiting on the host's feed).
      let running: Json | undefined;
      for (let i = 0; i < 100 && !running; i++) {
        const st = await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
          token: p.guestToken,
        });
        running = (st.status as Json[]).find((r) => ACTIVE.includes(r.status));
        if (!running) await sleep(100);
      }
      assert.ok(running, 'a real-time run is in progress');
      // And a long-poll of 25 s on the host, from the guest's key.
      const t0 = Date.now();
      const poll = p.guest.modules.collaboration.partners
        .call(p.collaborationId, p.hostId, p.path(`workspaces/${p.workspaceId}/partnerChanges`), {
          after: '999999999',
          wait: '25000',
        })
        .then(
          (r) => ({ answer: r, ms: Date.now() - t0 }),
          (err: Error) => ({ error: err, ms: Date.now() - t0 }),
        );
      await sleep(700); // both waits have begun
      const stopHost = Date.now();
      const hostClosed = p.host.close().then(() => Date.now() - stopHost);
      const stopGuest = Date.now();
      const guestClosed = p.guest.close().then(() => Date.now() - stopGuest);
      const [hostMs, guestMs, polled] = await Promise.all([hostClosed, guestClosed, poll]);
      closed = true;
      assert.ok(hostMs < 4_000, `the host stopped in ${hostMs} ms`);
      assert.ok(guestMs < 4_000, `the guest stopped in ${guestMs} ms`);
      assert.ok(polled.ms < 4_000, `the host's long-poll ended after ${polled.ms} ms`);
      assert.deepEqual(
        'answer' in polled ? polled.answer.changes : polled.error,
        [],
        'the host answered its long-poll as no change',
      );
    });
  });
}
