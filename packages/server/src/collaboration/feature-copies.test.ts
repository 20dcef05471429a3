/**
 * Feature Service copies between two real portals (in this process, on SQLite and PostgreSQL),
 * each with its own real GIS server federated as its hosting server: a hosted feature service
 * shared with copyFeatureServiceData arrives on the guest as a service of the guest's own
 * hosting server with the same features; a changed source updates the copy (same item, new
 * service, the old one deleted); a receiver without a hosting server keeps a reference when the
 * sender allows it and records the failure otherwise; a run killed after the service was made
 * makes no second one; a tombstone with unsharedCopies=delete deletes the local service.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type GisServerUnderTest, pointsGeoJson, startGis } from '../servers/publish/test-publish.ts';
import { eventually, federate, serverToken } from '../servers/test-federated.ts';
import { copyServiceName } from './apply-features.ts';
import type { CollaborationContext } from './context.ts';
import { sweepCopyServices } from './copy-services-sweep.ts';
import { sweepExports } from './partials-sweep.ts';
import type { Json } from './test-partners.ts';
import { addItem, groupItems, type SyncPartners, share, startSyncPartners, syncNow } from './test-sync.ts';

type Portal = SyncPartners['host'];

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`collaboration feature-service copies (${database})`, () => {
    let p: SyncPartners;
    let hostGis: GisServerUnderTest;
    let guestGis: GisServerUnderTest;
    const serverIds: Record<'host' | 'guest', string> = { host: '', guest: '' };
    const onGuest = () => groupItems(p.guest, p.guestToken, p.guestGroup);
    const byTitle = (items: Json[], title: string) => items.filter((i) => i.title === title);

    const setRole = async (portal: Portal, token: string, id: string, serverRole: string) => {
      const r = await portal.call(`/portaladmin/federation/servers/${id}/update`, { token, serverRole });
      assert.equal(r.status, 'success', JSON.stringify(r));
    };
    const hostLink = (fields: Record<string, string | boolean>) =>
      p.host.call(p.path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
        token: p.hostToken,
        ...fields,
      });

    /** Publishes a GeoJSON file on a portal's hosting server; answers the service item's id and URL. */
    const publishOn = async (portal: Portal, token: string, name: string, geojson: string) => {
      const source = await addItem(
        portal,
        token,
        { title: name, type: 'GeoJson' },
        { name: `${name}.geojson`, bytes: Buffer.from(geojson) },
      );
      const answer = await portal.call('/sharing/rest/content/users/admin/publish', {
        token,
        itemId: source,
        filetype: 'geojson',
        publishParameters: JSON.stringify({ name }),
      });
      assert.ok(answer.services, JSON.stringify(answer));
      for (;;) {
        const j = await portal.call(
          `/portaladmin/jobs/${answer.services[0].jobId}`,
          { token },
          { method: 'GET' },
        );
        if (j.status === 'succeeded')
          return { itemId: j.result.serviceItemId as string, url: j.result.serviceurl };
        assert.ok(!['failed', 'cancelled'].includes(j.status), JSON.stringify(j));
        await sleep(100);
      }
    };
    const publishOnHost = (name: string, geojson: string) => publishOn(p.host, p.hostToken, name, geojson);

    /** Every feature of a service (name, rank, coordinates), ordered by rank, read page by page. */
    const features = async (portal: Portal, token: string, gis: GisServerUnderTest, url: string) => {
      const st = await serverToken(portal, gis, token);
      const path = new URL(url).pathname;
      const count = await gis.get(`${path}/0/query`, { token: st, where: '1=1', returnCountOnly: 'true' });
      const out: [string, number, number[]][] = [];
      for (let offset = 0; ; offset += 1000) {
        const page = await gis.get(`${path}/0/query`, {
          token: st,
          where: '1=1',
          outFields: 'name,rank',
          orderByFields: 'rank',
          resultOffset: String(offset),
          resultRecordCount: '1000',
          f: 'geojson',
        });
        assert.ok(Array.isArray(page.features), JSON.stringify(page).slice(0, 400));
        for (const f of page.features)
          out.push([f.properties.name, f.properties.rank, f.geometry.coordinates]);
        if (page.features.length < 1000) break;
      }
      assert.equal(out.length, count.count);
      return out;
    };
    /** The copy services on the guest's GIS server (copy_…), by name. */
    const guestCopies = async () => {
      const st = await serverToken(p.guest, guestGis, p.guestToken);
      const r = await guestGis.get('/arcgis/rest/services', { token: st });
      return (r.services as Json[]).map((s) => s.name as string).filter((n) => n.startsWith('copy_'));
    };
    /** The host's feed as the guest reads it (signed), after `after`. */
    const feedAfter = (after: number) =>
      p.guest.modules.collaboration.partners.call(
        p.collaborationId,
        p.hostId,
        p.path(`workspaces/${p.workspaceId}/partnerChanges`),
        { after: String(after), limit: '50' },
      );
    /** The feed once no export is pending (asked again as the host says). */
    const feedWhenReady = async (after: number) => {
      for (let i = 0; ; i++) {
        const feed = await feedAfter(after);
        if (!feed.pending) return feed;
        assert.ok(i < 300, 'the export ends');
        await sleep(feed.pending.retryAfterMs);
      }
    };
    const guestCursor = async () =>
      Number(
        (
          await p.guest.kernel.db.kysely
            .selectFrom('collaboration_cursors')
            .select('seq')
            .where('workspace_id', '=', p.workspaceId)
            .executeTakeFirst()
        )?.seq ?? 0,
      );
    const run = async (syncId: string) =>
      (
        await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
          token: p.guestToken,
          syncId,
        })
      ).status[0];

    before(async () => {
      [p, hostGis, guestGis] = await Promise.all([
        // The feed never waits for an export: every copy's features are exported in the background.
        startSyncPartners({ database, overrides: { 'collaboration.feedExportWaitSeconds': 0 } }),
        startGis(),
        startGis(),
      ]);
      serverIds.host = await federate(p.host, hostGis, p.hostToken);
      serverIds.guest = await federate(p.guest, guestGis, p.guestToken);
      await setRole(p.host, p.hostToken, serverIds.host, 'HOSTING_SERVER');
      await setRole(p.guest, p.guestToken, serverIds.guest, 'HOSTING_SERVER');
      await p.guest.call(p.path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
        token: p.guestToken,
        unsharedCopies: 'delete',
      });
    });
    after(async () => {
      await p?.close();
      await hostGis?.close();
      await guestGis?.close();
    });

    const ids: Record<string, string> = {};
    const urls: Record<string, string> = {};

    test("a hosted feature service arrives as a service of the guest's own hosting server, with the same features", async () => {
      const linked = await hostLink({ copyFeatureServiceData: true, copyByRefIfCopyFail: false });
      assert.equal(linked.success, true, JSON.stringify(linked));
      const s = await publishOnHost('Wells', pointsGeoJson(2300)); // more than one page (2000)
      ids.wells = s.itemId;
      urls.wells = s.url;
      await share(p.host, p.hostToken, s.itemId, p.hostGroup);
      const r = await syncNow(p);
      assert.equal(r.status, 'completed', JSON.stringify(await run(r.syncId)));
      const [copy, ...more] = byTitle(await onGuest(), 'Wells');
      assert.equal(more.length, 0);
      assert.equal(copy!.type, 'Feature Service');
      assert.ok(copy!.url.startsWith(`${guestGis.root}/rest/services/copy_`), copy!.url);
      assert.ok(copy!.typeKeywords.includes(`originItemId:${s.itemId}`), copy!.typeKeywords);
      assert.ok(copy!.typeKeywords.includes(`Meridian Server:${serverIds.guest}`), copy!.typeKeywords);
      assert.ok(!copy!.typeKeywords.includes(`Meridian Server:${serverIds.host}`), copy!.typeKeywords);
      const want = await features(p.host, p.hostToken, hostGis, s.url);
      assert.equal(want.length, 2300);
      assert.deepEqual(await features(p.guest, p.guestToken, guestGis, copy!.url), want);
      assert.equal((await guestCopies()).length, 1);
      // The service's one portal item is the received one.
      const withUrl = await p.guest.call(
        '/sharing/rest/search',
        { token: p.guestToken, q: 'type:"Feature Service"', num: 100 },
        { method: 'GET' },
      );
      assert.deepEqual(
        (withUrl.results as Json[]).filter((i) => i.url === copy!.url).map((i) => i.id),
        [copy!.id],
      );
      ids.wellsCopy = copy!.id;
      urls.wellsCopy = copy!.url;

      const again = await syncNow(p);
      assert.deepEqual([again.status, again.summary.received, again.summary.bytes], ['completed', 0, 0]);
    });

    test('a changed source updates the copy: a metadata change keeps the service, new features replace it', async () => {
      await p.host.call(`/sharing/rest/content/users/admin/items/${ids.wells}/update`, {
        token: p.hostToken,
        title: 'Wells (2025)',
      });
      const r1 = await syncNow(p);
      assert.equal(r1.status, 'completed', JSON.stringify(await run(r1.syncId)));
      const [renamed] = byTitle(await onGuest(), 'Wells (2025)');
      assert.equal(renamed!.id, ids.wellsCopy);
      assert.equal(renamed!.url, urls.wellsCopy, 'the same features: the same service');

      // The source item now points at a service with other features.
      const v2 = await publishOnHost('Wells_v2', pointsGeoJson(40));
      await p.host.call(`/sharing/rest/content/users/admin/items/${ids.wells}/update`, {
        token: p.hostToken,
        url: v2.url,
      });
      const r2 = await syncNow(p);
      assert.equal(r2.status, 'completed', JSON.stringify(await run(r2.syncId)));
      const [updated, ...more] = byTitle(await onGuest(), 'Wells (2025)');
      assert.equal(more.length, 0);
      assert.equal(updated!.id, ids.wellsCopy, 'the same item');
      assert.notEqual(updated!.url, urls.wellsCopy, 'a new service');
      assert.deepEqual(
        await features(p.guest, p.guestToken, guestGis, updated!.url),
        await features(p.host, p.hostToken, hostGis, v2.url),
      );
      const left = await eventually(guestCopies, (names) => names.length === 1);
      assert.deepEqual(left, [updated!.url.split('/').at(-2)], 'the old version’s service is deleted');
      urls.wellsCopy = updated!.url;
    });

    test("a layer whose export outlasts the feed's wait: the feed answers the changes before it and 'not ready yet'; the guest asks again and the copy arrives", async () => {
      const note = await addItem(p.host, p.hostToken, {
        title: 'Survey notes',
        type: 'Document Link',
        url: 'https://example.org/notes',
      });
      await share(p.host, p.hostToken, note, p.hostGroup);
      const s = await publishOnHost('Boreholes', pointsGeoJson(4500)); // three export pages (2000 each)
      await share(p.host, p.hostToken, s.itemId, p.hostGroup);
      const cursor = await guestCursor();

      // The feed does not wait for the export: it ends the batch before the service's change.
      const first = await feedAfter(cursor);
      assert.deepEqual(first.pending?.originItemId, s.itemId, JSON.stringify(first));
      assert.ok(first.pending.retryAfterMs > 0);
      assert.equal(first.more, true);
      assert.deepEqual(
        (first.changes as Json[]).map((c) => c.originItemId),
        [note],
        'the changes before the pending one come',
      );
      const seqOf = (await feedWhenReady(cursor)).changes.find((c: Json) => c.originItemId === s.itemId).seq;
      assert.equal(first.last, seqOf - 1, 'the cursor stops just before the pending change');

      // A sync honours the signal: a new version's export (the item changed) is pending at first.
      await p.host.call(`/sharing/rest/content/users/admin/items/${s.itemId}/update`, {
        token: p.hostToken,
        snippet: 'Deep boreholes',
      });
      const r = await syncNow(p);
      const h = await run(r.syncId);
      assert.equal(r.status, 'completed', JSON.stringify(h));
      assert.deepEqual(h.history.errors, []);
      const [copy, ...more] = byTitle(await onGuest(), 'Boreholes');
      assert.equal(more.length, 0);
      assert.ok(copy!.url.startsWith(`${guestGis.root}/rest/services/copy_`), copy!.url);
      assert.equal(copy!.snippet, 'Deep boreholes');
      assert.equal(byTitle(await onGuest(), 'Survey notes').length, 1);
      const want = await features(p.host, p.hostToken, hostGis, s.url);
      assert.equal(want.length, 4500);
      assert.deepEqual(await features(p.guest, p.guestToken, guestGis, copy!.url), want);
      assert.equal((await feedAfter(await guestCursor())).pending, undefined, 'nothing pending after it');
    });

    test('a run killed after the service was made, before the item was committed, makes no second service', async () => {
      const s = await publishOnHost('Springs', pointsGeoJson(30));
      await share(p.host, p.hostToken, s.itemId, p.hostGroup);
      // What the killed run had done: the host's feed read, the features arrived, the service made.
      const feed = await feedWhenReady(await guestCursor());
      const change = (feed.changes as Json[]).find((c) => c.originItemId === s.itemId)!;
      assert.equal(change.as, 'copy');
      assert.equal(change.item.data.kind, 'features');
      const exported = join(
        p.host.home,
        'files',
        '.collaboration-exports',
        `${s.itemId}.${change.item.modified}.geojson`,
      );
      assert.equal(JSON.parse(readFileSync(exported, 'utf8')).features.length, 30);
      const name = copyServiceName(p.collaborationId, p.hostId, s.itemId, change.item.data.sha256);
      const made = await p.guest.modules.servers.copies.publish({ name, path: exported, description: '' });
      assert.equal(made.reused, false);
      const before = (await guestCopies()).length;

      const r = await syncNow(p);
      assert.equal(r.status, 'completed', JSON.stringify(await run(r.syncId)));
      const [copy, ...more] = byTitle(await onGuest(), 'Springs');
      assert.equal(more.length, 0);
      assert.equal(copy!.url, made.url, 'the service made before is the copy');
      assert.equal((await guestCopies()).length, before, 'no second service');
      assert.equal((await features(p.guest, p.guestToken, guestGis, copy!.url)).length, 30);
      const search = await p.guest.call(
        '/sharing/rest/search',
        { token: p.guestToken, q: 'type:"Feature Service"', num: 100 },
        { method: 'GET' },
      );
      assert.deepEqual(
        (search.results as Json[]).filter((i) => i.url === made.url).map((i) => i.id),
        [copy!.id],
        'one item for the service: the received one',
      );
      ids.springs = s.itemId;
    });

    test('a receiver without a hosting server: a reference when the sender allows it, else a recorded failure', async () => {
      await setRole(p.guest, p.guestToken, serverIds.guest, 'FEDERATED_SERVER');
      await hostLink({ copyByRefIfCopyFail: true });
      const a = await publishOnHost('Lakes', pointsGeoJson(12));
      await share(p.host, p.hostToken, a.itemId, p.hostGroup);
      const r1 = await syncNow(p);
      assert.equal(r1.status, 'completed', JSON.stringify(await run(r1.syncId)));
      const [ref] = byTitle(await onGuest(), 'Lakes');
      assert.equal(ref!.url, a.url, 'a reference to the source service');
      const h1 = (await run(r1.syncId)).history;
      assert.deepEqual(
        h1.fallbacks.map((f: Json) => [f.code, f.originItemId]),
        [['servers.no_hosting_server', a.itemId]],
      );
      assert.equal(r1.summary.bytes, 0, 'no data moved for a copy that cannot be made');

      await hostLink({ copyByRefIfCopyFail: false });
      const b = await publishOnHost('Dams', pointsGeoJson(8));
      await share(p.host, p.hostToken, b.itemId, p.hostGroup);
      const r2 = await syncNow(p);
      assert.equal(r2.status, 'completed_with_failures');
      const h2 = (await run(r2.syncId)).history;
      assert.deepEqual(
        h2.errors.map((e: Json) => [e.code, e.originItemId]),
        [['servers.no_hosting_server', b.itemId]],
      );
      assert.match(h2.errors[0].message, /hosting server/);
      assert.equal(byTitle(await onGuest(), 'Dams').length, 0);

      // A hosting server again: the change that failed (the cursor stayed) arrives as a copy.
      await setRole(p.guest, p.guestToken, serverIds.guest, 'HOSTING_SERVER');
      const r3 = await syncNow(p);
      assert.equal(r3.status, 'completed', JSON.stringify(await run(r3.syncId)));
      const [dams] = byTitle(await onGuest(), 'Dams');
      assert.ok(dams!.url.startsWith(`${guestGis.root}/rest/services/copy_`), dams!.url);
      assert.equal((await features(p.guest, p.guestToken, guestGis, dams!.url)).length, 8);
    });

    test("a guest's feature service pushed to the host arrives as a service of the host's own hosting server", async () => {
      const linked = await p.guest.call(p.path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
        token: p.guestToken,
        copyFeatureServiceData: true,
        copyByRefIfCopyFail: false,
      });
      assert.equal(linked.success, true, JSON.stringify(linked));
      const s = await publishOn(p.guest, p.guestToken, 'Pumps', pointsGeoJson(2100)); // two pages
      await share(p.guest, p.guestToken, s.itemId, p.guestGroup);
      const r = await syncNow(p);
      assert.equal(r.status, 'completed', JSON.stringify(await run(r.syncId)));
      assert.equal(r.summary.sent, 1, JSON.stringify(r.summary));
      const onHost = byTitle(await groupItems(p.host, p.hostToken, p.hostGroup), 'Pumps');
      assert.equal(onHost.length, 1, JSON.stringify(onHost));
      const copy = onHost[0]!;
      assert.equal(copy.type, 'Feature Service');
      assert.ok(copy.url.startsWith(`${hostGis.root}/rest/services/copy_`), copy.url);
      assert.ok(copy.typeKeywords.includes(`Meridian Server:${serverIds.host}`), copy.typeKeywords);
      assert.ok(!copy.typeKeywords.includes(`Meridian Server:${serverIds.guest}`), copy.typeKeywords);
      const want = await features(p.guest, p.guestToken, guestGis, s.url);
      assert.equal(want.length, 2100);
      assert.deepEqual(await features(p.host, p.hostToken, hostGis, copy.url), want);
      const withUrl = await p.host.call(
        '/sharing/rest/search',
        { token: p.hostToken, q: 'type:"Feature Service"', num: 100 },
        { method: 'GET' },
      );
      assert.deepEqual(
        (withUrl.results as Json[]).filter((i) => i.url === copy.url).map((i) => i.id),
        [copy.id],
        "the service's one portal item on the host is the received one",
      );
      const again = await syncNow(p);
      assert.deepEqual([again.status, again.summary.sent, again.summary.bytes], ['completed', 0, 0]);
    });

    test('an unshared copy with unsharedCopies=delete: its item and its local service go', async () => {
      const before = await guestCopies();
      const [springs] = byTitle(await onGuest(), 'Springs');
      await p.host.call(`/sharing/rest/content/items/${ids.springs}/unshare`, {
        token: p.hostToken,
        groups: p.hostGroup,
      });
      const r = await syncNow(p);
      assert.equal(r.status, 'completed', JSON.stringify(await run(r.syncId)));
      assert.equal(byTitle(await onGuest(), 'Springs').length, 0);
      const name = springs!.url.split('/').at(-2);
      const after = await eventually(guestCopies, (names) => !names.includes(name));
      assert.deepEqual(after.sort(), before.filter((n) => n !== name).sort());
    });

    test("the host's export of an item no longer shared goes once no transfer read it for an hour; exports of shared items stay", async () => {
      const files = join(p.host.home, 'files');
      const dir = join(files, '.collaboration-exports');
      const ctx = {
        kernel: p.host.kernel,
        partialsDir: join(files, '.collaboration-partials'),
        content: p.host.modules.content,
      } as unknown as CollaborationContext;
      const HOUR = 3_600_000;
      const of = (itemId: string) => readdirSync(dir).filter((n) => n.startsWith(`${itemId}.`));
      // Springs was unshared (the test before); Wells is still shared as it is.
      assert.equal(of(ids.springs!).length, 2);
      assert.equal(of(ids.wells!).length, 2);
      // What killed exports leave: a half-written export and a checksum never renamed.
      const oldTmp = `${ids.wells}.1.geojson.4242.1700000000000.tmp`;
      const freshTmp = `${ids.wells}.1.sha256.0a1b2c3d`;
      writeFileSync(join(dir, oldTmp), '{"type":"FeatureCollection","features":[');
      writeFileSync(join(dir, freshTmp), 'abc');
      const twoHoursAgo = new Date(Date.now() - 2 * HOUR);
      utimesSync(join(dir, oldTmp), twoHoursAgo, twoHoursAgo);

      // Read lately (the guest's transfer): Springs' export stays for now; the old leftover goes.
      assert.deepEqual(await sweepExports(ctx), [oldTmp]);
      assert.equal(of(ids.springs!).length, 2);

      // Two hours on, nobody read it: it goes (checksum first); the shared items' exports stay.
      const springsFiles = of(ids.springs!);
      const later = await sweepExports(ctx, Date.now() + 2 * HOUR);
      for (const f of [...springsFiles, freshTmp]) assert.ok(later.includes(f), `${f} removed: ${later}`);
      assert.deepEqual(of(ids.springs!), []);
      // Whatever else went is an export no item wants as it is now; what stays is each shared item's current one.
      const current = async (name: string) => {
        const [itemId, modified] = name.split('.');
        const it = await p.host.call(
          `/sharing/rest/content/items/${itemId}`,
          { token: p.hostToken },
          { method: 'GET' },
        );
        return String(it.modified) === modified;
      };
      for (const f of later.filter((n) => /\.\d+\.(geojson|sha256)$/.test(n) && !springsFiles.includes(n)))
        assert.equal(await current(f), false, `${f} was superseded`);
      const kept = readdirSync(dir);
      assert.ok(kept.length >= 2, 'the shared items keep their exports');
      for (const f of kept) assert.equal(await current(f), true, `${f} is its item's current export`);

      // A shared item whose export was superseded (it changed since) loses the old one too.
      const [wellsNow] = kept.filter((n) => n.endsWith('.geojson'));
      const old = wellsNow!.replace(/\.\d+\.geojson$/, '.1000.geojson');
      writeFileSync(join(dir, old), '{}');
      utimesSync(join(dir, old), twoHoursAgo, twoHoursAgo);
      assert.deepEqual(await sweepExports(ctx), [old]);
    });

    test('a service published on the guest for a change that never applied is retired once the grace period passed', async () => {
      const s = await publishOnHost('Ponds', pointsGeoJson(10));
      await share(p.host, p.hostToken, s.itemId, p.hostGroup);
      // What a run that stopped after publishing had done: the service made, the change not applied.
      const feed = await feedWhenReady(await guestCursor());
      const change = (feed.changes as Json[]).find((c) => c.originItemId === s.itemId)!;
      const exported = join(
        p.host.home,
        'files',
        '.collaboration-exports',
        `${s.itemId}.${change.item.modified}.geojson`,
      );
      const name = copyServiceName(p.collaborationId, p.hostId, s.itemId, change.item.data.sha256);
      const made = await p.guest.modules.servers.copies.publish({ name, path: exported, description: '' });
      // The item is unshared before the next sync: the change never applies here.
      await p.host.call(`/sharing/rest/content/items/${s.itemId}/unshare`, {
        token: p.hostToken,
        groups: p.hostGroup,
      });
      const r = await syncNow(p);
      assert.equal(r.status, 'completed', JSON.stringify(await run(r.syncId)));
      assert.equal(byTitle(await onGuest(), 'Ponds').length, 0);
      const copies = await guestCopies();
      assert.ok(copies.includes(name), 'the service is left on the hosting server');
      const db = p.guest.kernel.db.kysely;
      const unsettled = async () =>
        (await db.selectFrom('hosted_copy_services').select('url').execute()).map((r) => r.url);
      assert.deepEqual(
        await unsettled(),
        [made.url],
        'every copy whose item settled is cleared; this one is not',
      );

      // A copy whose run was killed between its commit and the settle is recorded too: it settles.
      const [wells] = byTitle(await onGuest(), 'Wells (2025)');
      await db
        .insertInto('hosted_copy_services')
        .values({ url: wells!.url, server_id: serverIds.guest, created: Date.now() - 1000 })
        .execute();

      const ctx = {
        kernel: p.guest.kernel,
        content: p.guest.modules.content,
        servers: p.guest.modules.servers.copies,
      } as unknown as CollaborationContext;
      assert.deepEqual(await sweepCopyServices(ctx), [], 'within the grace period nothing is retired');
      assert.deepEqual(await sweepCopyServices(ctx, Date.now() + 7 * 3_600_000), [made.url]);
      assert.deepEqual(await unsettled(), []);
      const left = await eventually(guestCopies, (names) => !names.includes(name));
      assert.deepEqual(left.sort(), copies.filter((n) => n !== name).sort(), 'only that service is deleted');
      const search = await p.guest.call(
        '/sharing/rest/search',
        { token: p.guestToken, q: 'type:"Feature Service"', num: 100 },
        { method: 'GET' },
      );
      assert.deepEqual(
        (search.results as Json[]).filter((i) => i.url === made.url),
        [],
        'no portal item of the retired service is left',
      );
      const [still] = byTitle(await onGuest(), 'Wells (2025)');
      assert.equal(still!.url, wells!.url, 'the settled copy keeps its service');
      assert.equal((await features(p.guest, p.guestToken, guestGis, still!.url)).length, 40);
    });
  });
}
