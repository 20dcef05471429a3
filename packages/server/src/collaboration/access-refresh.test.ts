/**
 * A guest that missed the host's change of its access modes (the host recorded it, the guest
 * was not told) catches up through its own sync, on SQLite and PostgreSQL: a manual run asks the
 * host first and does only what is allowed; a real-time run (which asks at most once a minute)
 * learns them from the host's refusal, which carries the guest's modes, and keeps pulling.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { setParticipantAccess } from './participant-store.ts';
import type { Json } from './test-partners.ts';
import { addItem, groupItems, type SyncPartners, share, startSyncPartners, syncNow } from './test-sync.ts';

const webMap = JSON.stringify({ operationalLayers: [], baseMap: { baseMapLayers: [] } });

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`collaboration access modes caught up by sync (${database})`, () => {
    let p: SyncPartners;
    before(async () => {
      p = await startSyncPartners({ database });
    });
    after(() => p?.close());

    /** The host records a mode for the guest without telling it (the guest is offline). */
    const setSilently = (mode: string) =>
      setParticipantAccess(
        p.host.kernel.db.kysely,
        p.collaborationId,
        p.guestId,
        JSON.stringify({ [p.workspaceId]: mode }),
        Date.now(),
      );
    const guestMode = async () =>
      (
        await p.guest.call(
          p.path(`workspaces/${p.workspaceId}/configSync`),
          { token: p.guestToken },
          { method: 'GET' },
        )
      ).accessMode;
    const titles = (items: Json[]) => items.map((i) => i.title as string);
    const addShared = async (side: 'host' | 'guest', title: string) => {
      const portal = side === 'host' ? p.host : p.guest;
      const token = side === 'host' ? p.hostToken : p.guestToken;
      const id = await addItem(portal, token, { title, type: 'Web Map', text: webMap });
      await share(portal, token, id, side === 'host' ? p.hostGroup : p.guestGroup);
    };

    test("the host's refusal carries the guest's current modes", async () => {
      await setSilently('receive');
      const refused = await p.guest.modules.collaboration.partners
        .call(p.collaborationId, p.hostId, p.path(`workspaces/${p.workspaceId}/partnerApply`), {
          changes: '[]',
          upTo: '0',
        })
        .catch((e: { code?: string; data?: Json }) => e);
      assert.equal((refused as { code?: string }).code, 'collaboration.access_denied');
      assert.deepEqual((refused as { data?: Json }).data, { accessModes: { [p.workspaceId]: 'receive' } });
      const asked = await p.guest.modules.collaboration.partners.call(
        p.collaborationId,
        p.hostId,
        p.path(`workspaces/${p.workspaceId}/partnerAccess`),
      );
      assert.deepEqual(asked.accessModes, { [p.workspaceId]: 'receive' });
      assert.equal(await guestMode(), 'sendAndReceive', 'nothing taken outside a sync of this guest');
    });

    test('a manual sync asks the host first: made receive-only while offline, it pulls and sends nothing', async () => {
      await setSilently('receive');
      await addShared('guest', 'Guest note');
      await addShared('host', 'Host note');
      const run = await syncNow(p);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.deepEqual([run.summary.received, run.summary.sent], [1, 0], JSON.stringify(run.summary));
      assert.equal(await guestMode(), 'receive');
      assert.ok(titles(await groupItems(p.guest, p.guestToken, p.guestGroup)).includes('Host note'));
      assert.ok(!titles(await groupItems(p.host, p.hostToken, p.hostGroup)).includes('Guest note'));

      await setSilently('sendAndReceive');
      const sent = await syncNow(p);
      assert.deepEqual([sent.status, sent.summary.sent], ['completed', 1], JSON.stringify(sent));
      assert.equal(await guestMode(), 'sendAndReceive');
      assert.ok(titles(await groupItems(p.host, p.hostToken, p.hostGroup)).includes('Guest note'));
    });

    test("a real-time run learns its new mode from the host's refusal: it stops pushing and keeps pulling", async () => {
      await p.guest.call(p.path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
        token: p.guestToken,
        enableRealtimeSync: true,
      });
      const waitFor = async (check: () => Promise<boolean>, what: string) => {
        const t0 = Date.now();
        while (Date.now() - t0 < 15_000) {
          if (await check()) return;
          await sleep(100);
        }
        assert.fail(`${what} within 15 s`);
      };
      // Real-time runs go on (and have asked the host for the modes already).
      await addShared('host', 'Live one');
      await waitFor(
        async () => titles(await groupItems(p.guest, p.guestToken, p.guestGroup)).includes('Live one'),
        'the host item arrived',
      );
      await setSilently('receive');
      await addShared('guest', 'Guest live');
      await waitFor(
        async () => (await guestMode()) === 'receive',
        "the guest took its mode from the host's refusal",
      );
      await addShared('host', 'Live two');
      await waitFor(
        async () => titles(await groupItems(p.guest, p.guestToken, p.guestGroup)).includes('Live two'),
        'the host item arrived after the refusal',
      );
      assert.ok(!titles(await groupItems(p.host, p.hostToken, p.hostGroup)).includes('Guest live'));
      const st = await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
        token: p.guestToken,
      });
      assert.deepEqual(
        (st.status as Json[]).filter((r) => r.syncExecType === 'realtime' && r.status === 'failed'),
        [],
        'no real-time run failed',
      );
      await p.guest.call(p.path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
        token: p.guestToken,
        enableRealtimeSync: false,
      });
    });
  });
}
