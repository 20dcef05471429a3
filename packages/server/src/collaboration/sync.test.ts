/**
 * Sync between two real portals (own CA and data directory each, in this process), on SQLite
 * and PostgreSQL: copies and references both ways, marked with their origin; incremental
 * syncs that move only what changed; tombstones per the link's setting; last writer wins with
 * the overwritten version in the history; a receive-only guest refused when it sends.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Json } from './test-partners.ts';
import {
  addItem,
  dataSha,
  groupItems,
  type SyncPartners,
  sha,
  share,
  startSyncPartners,
  syncNow,
} from './test-sync.ts';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`collaboration sync (${database})`, () => {
    let p: SyncPartners;
    const file = randomBytes(1_300_000); // three chunks
    const webMap = JSON.stringify({ operationalLayers: [], baseMap: { baseMapLayers: [] } });
    const ids: Record<string, string> = {};
    const onGuest = async () => groupItems(p.guest, p.guestToken, p.guestGroup);
    const onHost = async () => groupItems(p.host, p.hostToken, p.hostGroup);
    const byTitle = (items: Json[], title: string) => items.find((i) => i.title === title);

    before(async () => {
      p = await startSyncPartners({ database });
    });
    after(() => p?.close());

    test('host items arrive on the guest: copies with their data, a service by reference, marked with their origin', async () => {
      ids.file = await addItem(
        p.host,
        p.hostToken,
        { title: 'Survey', type: 'PDF' },
        { name: 'survey.pdf', bytes: file },
      );
      ids.map = await addItem(p.host, p.hostToken, { title: 'Map', type: 'Web Map', text: webMap });
      ids.service = await addItem(p.host, p.hostToken, {
        title: 'Rivers service',
        type: 'Feature Service',
        url: 'https://gis.example.org/arcgis/rest/services/Rivers/FeatureServer',
      });
      for (const id of Object.values(ids)) await share(p.host, p.hostToken, id, p.hostGroup);
      const run = await syncNow(p);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.equal(run.summary.received, 3);
      const got = await onGuest();
      assert.deepEqual(
        got.map((i) => [i.title, i.type]),
        [
          ['Map', 'Web Map'],
          ['Rivers service', 'Feature Service'],
          ['Survey', 'PDF'],
        ],
      );
      const survey = byTitle(got, 'Survey')!;
      assert.equal(await dataSha(p.guest, p.guestToken, survey.id), sha(file));
      assert.ok(survey.typeKeywords.includes(`originItemId:${ids.file}`), survey.typeKeywords);
      assert.ok(survey.typeKeywords.includes(`originPortalId:${p.hostId}`));
      assert.ok(survey.typeKeywords.includes(`collaborationId:${p.collaborationId}`));
      assert.equal(await dataSha(p.guest, p.guestToken, byTitle(got, 'Map')!.id), sha(webMap));
      assert.equal(
        byTitle(got, 'Rivers service')!.url,
        'https://gis.example.org/arcgis/rest/services/Rivers/FeatureServer',
      );
      const again = await syncNow(p);
      assert.equal(again.status, 'completed');
      assert.deepEqual(
        [again.summary.received, again.summary.bytes],
        [0, 0],
        'nothing changed: nothing moves',
      );
      assert.deepEqual(
        (await onGuest()).map((i) => i.id),
        got.map((i) => i.id),
        'no duplicate',
      );
    });

    test('guest items reach the host; references point at their source', async () => {
      await p.guest.call(p.path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
        token: p.guestToken,
        shareItemsAs: 'reference',
      });
      const notes = await addItem(
        p.guest,
        p.guestToken,
        { title: 'Guest notes', type: 'PDF' },
        { name: 'n.pdf', bytes: Buffer.from('notes') },
      );
      await share(p.guest, p.guestToken, notes, p.guestGroup);
      const run = await syncNow(p);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.equal(run.summary.sent, 1);
      const ref = byTitle(await onHost(), 'Guest notes')!;
      assert.equal(ref.url, `${p.guest.url}/sharing/rest/content/items/${notes}`);
      assert.ok(ref.typeKeywords.includes(`originPortalId:${p.guestId}`));
      await p.guest.call(p.path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
        token: p.guestToken,
        shareItemsAs: 'copy',
      });
      const copy = await addItem(
        p.guest,
        p.guestToken,
        { title: 'Guest copy', type: 'PDF' },
        { name: 'c.pdf', bytes: file.subarray(0, 700_000) },
      );
      await share(p.guest, p.guestToken, copy, p.guestGroup);
      assert.equal((await syncNow(p)).summary.sent, 1);
      const hostCopy = byTitle(await onHost(), 'Guest copy')!;
      assert.equal(await dataSha(p.host, p.hostToken, hostCopy.id), sha(file.subarray(0, 700_000)));
      // Received items are not sent back.
      assert.equal((await onGuest()).filter((i) => i.title.startsWith('Guest')).length, 2);
    });

    test('an incremental sync moves only what changed', async () => {
      await p.host.call(`/sharing/rest/content/users/admin/items/${ids.map}/update`, {
        token: p.hostToken,
        title: 'Map v2',
      });
      const run = await syncNow(p);
      assert.equal(run.summary.received, 1, JSON.stringify(run));
      assert.equal(run.summary.bytes, 0, 'a metadata change moves no file');
      // The access modes, the feed, the host's cursor of the guest's feed, and its own feed.
      assert.ok(run.summary.calls <= 4, `calls: ${run.summary.calls}`);
      assert.ok(byTitle(await onGuest(), 'Map v2'));
    });

    test('unshares and deletions travel as tombstones: references go, copies stay marked unless the link says delete', async () => {
      await p.host.call(`/sharing/rest/content/items/${ids.file}/unshare`, {
        token: p.hostToken,
        groups: p.hostGroup,
      });
      await p.host.call(`/sharing/rest/content/users/admin/items/${ids.service}/delete`, {
        token: p.hostToken,
      });
      const run = await syncNow(p);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      const got = await onGuest();
      assert.equal(byTitle(got, 'Rivers service'), undefined, 'the reference is removed');
      const kept = byTitle(got, 'Survey')!;
      assert.ok(kept.typeKeywords.includes('collaborationUnsynced'), kept.typeKeywords);
      assert.equal(await dataSha(p.guest, p.guestToken, kept.id), sha(file), 'the copy keeps its data');
      await p.guest.call(p.path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
        token: p.guestToken,
        unsharedCopies: 'delete',
      });
      await p.host.call(`/sharing/rest/content/items/${ids.map}/unshare`, {
        token: p.hostToken,
        groups: p.hostGroup,
      });
      await syncNow(p);
      assert.equal(byTitle(await onGuest(), 'Map v2'), undefined, 'the link says delete: the copy goes');
      // Shared again: the kept copy is synced again, not duplicated.
      await share(p.host, p.hostToken, ids.file, p.hostGroup);
      await syncNow(p);
      const again = (await onGuest()).filter((i) => i.title === 'Survey');
      assert.equal(again.length, 1);
      assert.equal(again[0]!.id, kept.id);
      assert.ok(!again[0]!.typeKeywords.includes('collaborationUnsynced'));
    });

    test('a transfer continues from its partial file; a corrupt partial file is discarded and the next sync completes', async () => {
      const partials = join(p.guest.home, 'files', '.collaboration-partials');
      const big = randomBytes(2_000_000);
      const bigId = await addItem(
        p.host,
        p.hostToken,
        { title: 'Big', type: 'PDF' },
        { name: 'big.pdf', bytes: big },
      );
      writeFileSync(join(partials, `${sha(big)}.part`), big.subarray(0, 1_100_000));
      await share(p.host, p.hostToken, bigId, p.hostGroup);
      const run = await syncNow(p);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.equal(run.summary.bytes, 2_000_000 - 1_100_000, 'only the missing bytes moved');
      assert.equal(await dataSha(p.guest, p.guestToken, byTitle(await onGuest(), 'Big')!.id), sha(big));

      const other = randomBytes(900_000);
      const otherId = await addItem(
        p.host,
        p.hostToken,
        { title: 'Other', type: 'PDF' },
        { name: 'o.pdf', bytes: other },
      );
      writeFileSync(join(partials, `${sha(other)}.part`), randomBytes(600_000));
      await share(p.host, p.hostToken, otherId, p.hostGroup);
      const bad = await syncNow(p);
      assert.equal(bad.status, 'completed_with_failures', JSON.stringify(bad));
      const hist = await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
        token: p.guestToken,
        syncId: bad.syncId,
      });
      assert.equal(hist.status[0].history.errors[0].code, 'collaboration.data_checksum_mismatch');
      assert.equal(byTitle(await onGuest(), 'Other'), undefined);
      const good = await syncNow(p);
      assert.equal(good.status, 'completed', JSON.stringify(good));
      const others = (await onGuest()).filter((i) => i.title === 'Other');
      assert.equal(others.length, 1);
      assert.equal(await dataSha(p.guest, p.guestToken, others[0]!.id), sha(other));
      assert.deepEqual(
        readdirSync(partials).filter((n) => n.endsWith('.part')),
        [],
        'no partial file is left',
      );
    });

    test('a sync cancelled in the middle of a copy, run again: nothing lost, nothing duplicated', async () => {
      const partials = join(p.guest.home, 'files', '.collaboration-partials');
      const huge = randomBytes(6_000_000);
      const id = await addItem(
        p.host,
        p.hostToken,
        { title: 'Huge', type: 'PDF' },
        { name: 'h.pdf', bytes: huge },
      );
      await share(p.host, p.hostToken, id, p.hostGroup);
      const before = (await onGuest()).map((i) => i.title);
      const started = await p.guest.call(p.path(`workspaces/${p.workspaceId}/sync`), {
        token: p.guestToken,
        async: true,
      });
      const part = join(partials, `${sha(huge)}.part`);
      const t0 = Date.now();
      while (Date.now() - t0 < 20_000) {
        const size = (() => {
          try {
            return statSync(part).size;
          } catch {
            return 0;
          }
        })();
        if (size > 0) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      await p.guest.kernel.jobs.cancel(started.jobId).catch(() => {});
      for (let i = 0; i < 100; i++) {
        const j = await p.guest.kernel.jobs.get(started.jobId);
        if (['succeeded', 'failed', 'cancelled'].includes(j.status)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(
        (await p.guest.kernel.jobs.get(started.jobId)).status,
        'cancelled',
        'interrupted mid-file',
      );
      assert.equal(
        (await onGuest()).filter((i) => i.title === 'Huge').length,
        0,
        'not applied before its data arrived',
      );
      const partial = statSync(part).size;
      assert.ok(partial > 0 && partial < huge.length, `a partial file of ${partial} bytes`);
      const run = await syncNow(p);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.equal(run.summary.bytes, huge.length - partial, 'the rerun continued from the partial file');
      const after = await onGuest();
      const huges = after.filter((i) => i.title === 'Huge');
      assert.equal(huges.length, 1, 'one item');
      assert.equal(await dataSha(p.guest, p.guestToken, huges[0]!.id), sha(huge));
      assert.deepEqual(
        after.map((i) => i.title).filter((t) => t !== 'Huge'),
        before,
        'the rest as before',
      );
    });

    test('concurrent edits: last writer wins by modified time; the overwritten version is in the history', async () => {
      const plan = await addItem(p.host, p.hostToken, { title: 'Plan', type: 'Web Map', text: webMap });
      await share(p.host, p.hostToken, plan, p.hostGroup);
      await syncNow(p);
      const local = byTitle(await onGuest(), 'Plan')!;
      const edit = (portal: typeof p.host, token: string, id: string, title: string) =>
        portal.call(`/sharing/rest/content/users/admin/items/${id}/update`, { token, title });
      const pause = () => new Promise((r) => setTimeout(r, 15));
      await edit(p.guest, p.guestToken, local.id, 'Plan (guest edit)');
      await pause();
      await edit(p.host, p.hostToken, plan, 'Plan v2');
      const r1 = await syncNow(p);
      const h1 = await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
        token: p.guestToken,
        syncId: r1.syncId,
      });
      assert.equal(byTitle(await onGuest(), 'Plan v2')?.id, local.id, 'the later (host) edit wins');
      assert.deepEqual(
        h1.status[0].history.overwritten.map((o: Json) => [o.kept, o.lost.title, o.lost.from]),
        [['incoming', 'Plan (guest edit)', 'local']],
      );
      await edit(p.host, p.hostToken, plan, 'Plan v3');
      await pause();
      await edit(p.guest, p.guestToken, local.id, 'Plan (later guest edit)');
      const r2 = await syncNow(p);
      const h2 = await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
        token: p.guestToken,
        syncId: r2.syncId,
      });
      assert.ok(byTitle(await onGuest(), 'Plan (later guest edit)'), 'the later (guest) edit wins');
      assert.deepEqual(
        h2.status[0].history.overwritten.map((o: Json) => [o.kept, o.lost.title, o.lost.from]),
        [['local', 'Plan v3', 'partner']],
      );
    });

    test('a copy in transfer: syncStatus and the jobs API show the bytes and files moving, chunk by chunk', async () => {
      const large = randomBytes(24_000_000);
      const id = await addItem(
        p.host,
        p.hostToken,
        { title: 'Large', type: 'PDF' },
        { name: 'l.pdf', bytes: large },
      );
      await share(p.host, p.hostToken, id, p.hostGroup);
      const started = await p.guest.call(p.path(`workspaces/${p.workspaceId}/sync`), {
        token: p.guestToken,
        async: true,
      });
      const seen = { run: new Set<number>(), job: new Set<number>(), messages: [] as string[] };
      for (const t0 = Date.now(); Date.now() - t0 < 60_000; ) {
        const st = await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
          token: p.guestToken,
          syncId: started.key,
        });
        const run = st.status[0];
        const job = await p.guest.kernel.jobs.get(started.jobId);
        if (run.status === 'in_progress') {
          if (run.summary.bytes > 0 && run.summary.bytes < large.length) seen.run.add(run.summary.bytes);
          if (job.progress.done > 0 && job.progress.done < large.length) {
            seen.job.add(job.progress.done);
            seen.messages.push(job.progress.message);
          }
        }
        if (['completed', 'failed', 'completed_with_failures'].includes(run.status)) {
          assert.equal(run.status, 'completed', JSON.stringify(run));
          assert.deepEqual([run.summary.bytes, run.summary.files], [large.length, 1]);
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(seen.run.size >= 2, `syncStatus showed the bytes moving: ${[...seen.run]}`);
      assert.ok(seen.job.size >= 1, `the job's progress moved during the transfer: ${[...seen.job]}`);
      assert.match(seen.messages[0]!, /\d+ bytes transferred/);
      const got = (await onGuest()).filter((i) => i.title === 'Large');
      assert.equal(got.length, 1);
      assert.equal(await dataSha(p.guest, p.guestToken, got[0]!.id), sha(large));
    });

    test('access modes: a receive-only guest cannot send (its pushes are refused); sync only on the guest', async () => {
      const set = (mode: string) =>
        p.host.call(p.path(`participants/${p.guestId}/updateParticipantAccessModes`), {
          token: p.hostToken,
          collaborationWorkspacesAccessJSON: JSON.stringify([{ [p.workspaceId]: mode }]),
        });
      const r = await set('receive');
      assert.equal(r.partnerTold, true, JSON.stringify(r));
      const cfg = await p.guest.call(
        p.path(`workspaces/${p.workspaceId}/configSync`),
        { token: p.guestToken },
        { method: 'GET' },
      );
      assert.equal(cfg.accessMode, 'receive');
      const pushed = await p.guest.modules.collaboration.partners
        .call(p.collaborationId, p.hostId, p.path(`workspaces/${p.workspaceId}/partnerApply`), {
          changes: '[]',
          upTo: '0',
        })
        .catch((e: { code?: string }) => e);
      assert.equal((pushed as { code?: string }).code, 'collaboration.access_denied');
      const memo = await addItem(p.guest, p.guestToken, {
        title: 'Guest memo',
        type: 'Web Map',
        text: webMap,
      });
      await share(p.guest, p.guestToken, memo, p.guestGroup);
      assert.equal((await syncNow(p)).summary.sent, 0);
      assert.equal(byTitle(await onHost(), 'Guest memo'), undefined);
      const bad = await set('everything');
      assert.equal(bad.error?.messageCode, 'collaboration.invalid_input', JSON.stringify(bad));
      await set('sendAndReceive');
      assert.equal((await syncNow(p)).summary.sent, 1);
      assert.ok(byTitle(await onHost(), 'Guest memo'));
      const onHostSync = await p.host.call(p.path(`workspaces/${p.workspaceId}/sync`), {
        token: p.hostToken,
      });
      assert.equal(onHostSync.error?.messageCode, 'collaboration.not_sync_initiator');
    });

    test('a schedule starts a due sync once, not while paused', async () => {
      const sch = (op: string, fields: Record<string, string | number> = {}) =>
        p.guest.call(p.path(`workspaces/${p.workspaceId}/schedule${op}`), { token: p.guestToken, ...fields });
      const u = await sch('/update', { startTime: Date.now() - 1000, interval: 1, repeatCount: -1 });
      assert.equal(u.schedule.interval, 1, JSON.stringify(u));
      await sch('/pause');
      assert.deepEqual(await p.guest.modules.collaboration.sync.runDueSchedules(), []);
      await sch('/resume');
      const started = await p.guest.modules.collaboration.sync.runDueSchedules();
      assert.equal(started.length, 1);
      assert.deepEqual(
        await p.guest.modules.collaboration.sync.runDueSchedules(),
        [],
        'the next run is an hour later',
      );
      const s = await sch('');
      assert.equal(s.schedule.runs, 1);
      assert.ok(s.schedule.nextRun > Date.now() + 3_000_000);
      const bad = await sch('/update', { interval: 0.5 });
      assert.equal(bad.error?.messageCode, 'collaboration.invalid_input');
      assert.equal((await sch('/delete')).success, true);
      for (let i = 0; i < 100; i++) {
        const st = await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
          token: p.guestToken,
        });
        if (!['submitted', 'started', 'in_progress'].includes(st.status[0].status)) {
          assert.equal(st.status[0].syncExecType, 'scheduled');
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    });

    test('real-time: host and guest changes arrive within seconds, with no manual sync', async () => {
      const link = (on: boolean) =>
        p.guest.call(p.path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
          token: p.guestToken,
          enableRealtimeSync: on,
        });
      assert.equal((await link(true)).workspace.portalGroupLink.enableRealtimeSync, true);
      const waitFor = async (check: () => Promise<boolean>, what: string) => {
        const t0 = Date.now();
        while (Date.now() - t0 < 15_000) {
          if (await check()) return Date.now() - t0;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.fail(`${what} did not arrive within 15 s`);
      };
      const live = await addItem(p.host, p.hostToken, {
        title: 'Live from host',
        type: 'Web Map',
        text: webMap,
      });
      await share(p.host, p.hostToken, live, p.hostGroup);
      await waitFor(async () => Boolean(byTitle(await onGuest(), 'Live from host')), 'the host item');
      const back = await addItem(p.guest, p.guestToken, {
        title: 'Live from guest',
        type: 'Web Map',
        text: webMap,
      });
      await share(p.guest, p.guestToken, back, p.guestGroup);
      await waitFor(async () => Boolean(byTitle(await onHost(), 'Live from guest')), 'the guest item');
      await link(false);
      // Let the run in progress end (its wait on the host is bounded).
      for (let i = 0; i < 100; i++) {
        const st = await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
          token: p.guestToken,
        });
        if (!st.status.some((r: Json) => ['submitted', 'started', 'in_progress'].includes(r.status))) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    });

    test('the guest leaves with deleteContributedItems: the host deletes what it received; the guest keeps its copies marked; its sync is refused as revoked', async () => {
      const policy = await p.guest.call(p.path('updateItemDeletePolicy'), {
        token: p.guestToken,
        deleteContributedItems: true,
      });
      assert.deepEqual([policy.deleteContributedItems, policy.deleteReceivedItems], [true, false]);
      assert.ok(byTitle(await onHost(), 'Guest copy'));
      const left = await p.guest.call(p.path('removeParticipation'), { token: p.guestToken });
      assert.equal(left.partnerTold, true, JSON.stringify(left));
      assert.deepEqual(
        (await onHost()).filter((i) => i.title.startsWith('Guest')),
        [],
        'the host deleted what the guest contributed',
      );
      const kept = byTitle(await onGuest(), 'Big')!;
      assert.ok(kept.typeKeywords.includes('collaborationUnsynced'));
      const run = await syncNow(p);
      assert.equal(run.status, 'failed');
      const h = await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
        token: p.guestToken,
        syncId: run.syncId,
      });
      assert.equal(
        h.status[0].history.errors[0].code,
        'collaboration.partner_revoked',
        JSON.stringify(h.status[0].history),
      );
    });
  });
}
