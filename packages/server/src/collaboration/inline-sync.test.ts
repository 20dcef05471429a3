/**
 * Small copies travel inline (inline-data.ts), between two real portals on SQLite and
 * PostgreSQL: their bytes arrive in the feed and in a push with no chunk call of their own
 * (the host's partnerData and partnerUpload requests counted on its HTTP server), beside large
 * files that still move chunk by chunk; the feed's answer stays within its budget and ends
 * early; a long text travels as a file both ways; a wrong inline digest is refused with nothing
 * applied or kept.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FEED_BUDGET, INLINE_MAX_BYTES, receiveInline } from './inline-data.ts';
import type { WireChange } from './outgoing.ts';
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
  describe(`collaboration sync, small copies inline (${database})`, () => {
    let p: SyncPartners;
    /** The host's partner requests by resource, since the last reset. */
    const calls = new Map<string, number>();
    const count = (req: IncomingMessage) => {
      const resource = /\/workspaces\/[^/]+\/(partner\w+)/.exec(req.url ?? '')?.[1];
      if (resource) calls.set(resource, (calls.get(resource) ?? 0) + 1);
    };
    const called = (resource: string) => calls.get(resource) ?? 0;
    const onGuest = async () => groupItems(p.guest, p.guestToken, p.guestGroup);
    const onHost = async () => groupItems(p.host, p.hostToken, p.hostGroup);
    const byTitle = (items: Json[], title: string) => items.find((i) => i.title === title)!;
    const partials = (portal: 'host' | 'guest') =>
      readdirSync(join(p[portal].home, 'files', '.collaboration-partials')).sort();
    const hostFile = async (title: string, bytes: Buffer) => {
      const id = await addItem(p.host, p.hostToken, { title, type: 'PDF' }, { name: `${title}.pdf`, bytes });
      await share(p.host, p.hostToken, id, p.hostGroup);
      return id;
    };
    const feedPage = (after: number) =>
      p.guest.modules.collaboration.partners.call(
        p.collaborationId,
        p.hostId,
        p.path(`workspaces/${p.workspaceId}/partnerChanges`),
        { after: String(after), limit: '200' },
      );
    const apply = (changes: unknown[], upTo: number) =>
      p.guest.modules.collaboration.partners
        .call(p.collaborationId, p.hostId, p.path(`workspaces/${p.workspaceId}/partnerApply`), {
          changes: JSON.stringify(changes),
          upTo: String(upTo),
        })
        .then(
          (r) => r,
          (e: { code?: string; message?: string }) => e,
        );

    before(async () => {
      p = await startSyncPartners({ database });
      p.host.app.server.on('request', count);
    });
    after(() => p?.close());

    test('small copies arrive inline with no partnerData call; larger files still come chunk by chunk', async () => {
      const small = {
        Tiny: randomBytes(1),
        Page: randomBytes(10_000),
        Edge: randomBytes(INLINE_MAX_BYTES),
      };
      const large = { 'Just over': randomBytes(INLINE_MAX_BYTES + 1), Large: randomBytes(1_300_000) };
      const all = { ...small, ...large };
      for (const [title, bytes] of Object.entries(all)) await hostFile(title, bytes);
      const note = JSON.stringify({ operationalLayers: [], note: 'short' });
      const map = await addItem(p.host, p.hostToken, { title: 'Short map', type: 'Web Map', text: note });
      await share(p.host, p.hostToken, map, p.hostGroup);
      calls.clear();
      const run = await syncNow(p);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.equal(run.summary.received, 6);
      assert.equal(
        called('partnerData'),
        1 + 3,
        'one chunk of the file just over the limit, three of the large one',
      );
      assert.equal(run.summary.files, 5);
      const bytes = Object.values(all).reduce((n, b) => n + b.length, 0);
      assert.equal(run.summary.bytes, bytes, 'every file byte counted once');
      const got = await onGuest();
      for (const [title, b] of Object.entries(all))
        assert.equal(await dataSha(p.guest, p.guestToken, byTitle(got, title).id), sha(b), title);
      assert.equal(await dataSha(p.guest, p.guestToken, byTitle(got, 'Short map').id), sha(note));
      assert.deepEqual(partials('guest'), [], 'every checked file went into the store');

      calls.clear();
      const again = await syncNow(p);
      assert.deepEqual([again.summary.received, again.summary.bytes, called('partnerData')], [0, 0, 0]);
    });

    test('the feed answer stays within its budget: it ends early and splits no change; every copy arrives once', async () => {
      const before = new Set((await onGuest()).map((i) => i.title));
      const files = Array.from({ length: 24 }, () => randomBytes(60_000));
      for (const [i, b] of files.entries()) await hostFile(`Batch ${i}`, b);
      // The whole feed, page by page, as a new guest reads it.
      const seen = new Map<string, number>();
      let pages = 0;
      for (let at = 0; ; ) {
        const page = await feedPage(at);
        pages++;
        const size = Buffer.byteLength(JSON.stringify(page.changes));
        assert.ok(size <= FEED_BUDGET.bytes, `page ${pages}: ${size} bytes of changes`);
        for (const c of page.changes as Json[]) {
          if (!c.item.title.startsWith('Batch ')) continue;
          assert.equal(c.item.data.inline.length, 80_000, 'each change carries its whole file');
          seen.set(c.item.title, (seen.get(c.item.title) ?? 0) + 1);
        }
        at = Number(page.last);
        if (!page.more) break;
        assert.ok(page.changes.length > 0, 'an answer that ends early carries changes');
      }
      // 24 × 80 000 base64 characters: at least three answers.
      assert.ok(pages >= 3, `the feed took ${pages} answers`);
      assert.deepEqual(
        [...seen.values()].filter((n) => n !== 1),
        [],
        'no change twice',
      );
      assert.equal(seen.size, files.length);

      calls.clear();
      const run = await syncNow(p);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.equal(run.summary.received, files.length);
      assert.equal(called('partnerData'), 0);
      assert.ok(called('partnerChanges') >= 3, `feed answers: ${called('partnerChanges')}`);
      const got = (await onGuest()).filter((i) => !before.has(i.title));
      assert.equal(got.length, files.length);
      for (const [i, b] of files.entries())
        assert.equal(await dataSha(p.guest, p.guestToken, byTitle(got, `Batch ${i}`).id), sha(b));
    });

    test('a long text (a web map larger than a feed answer) travels as a file, both ways, and stays a text', async () => {
      const text = (n: number) =>
        JSON.stringify({
          operationalLayers: Array.from({ length: n }, (_, i) => ({ id: `layer-${i}`, title: `Layer ${i}` })),
        });
      const big = text(30_000);
      assert.ok(big.length > 1_100_000, `${big.length}`);
      const id = await addItem(p.host, p.hostToken, { title: 'Big map', type: 'Web Map', text: big });
      await share(p.host, p.hostToken, id, p.hostGroup);
      calls.clear();
      const run = await syncNow(p);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.equal(called('partnerData'), Math.ceil(Buffer.byteLength(big) / (512 * 1024)));
      const local = byTitle(await onGuest(), 'Big map');
      assert.equal(await dataSha(p.guest, p.guestToken, local.id), sha(big));
      const read = await p.guest.modules.content.synced.read(p.guest.kernel.db.kysely, local.id);
      assert.equal(read?.data.kind, 'text', 'a text item again');

      const back = text(25_000);
      const mine = await addItem(p.guest, p.guestToken, {
        title: 'Guest big map',
        type: 'Web Map',
        text: back,
      });
      await share(p.guest, p.guestToken, mine, p.guestGroup);
      calls.clear();
      const pushed = await syncNow(p);
      assert.equal(pushed.status, 'completed', JSON.stringify(pushed));
      assert.equal(pushed.summary.sent, 1);
      assert.ok(called('partnerUpload') >= 3, `uploads: ${called('partnerUpload')}`);
      const there = byTitle(await onHost(), 'Guest big map');
      assert.equal(await dataSha(p.host, p.hostToken, there.id), sha(back));
      const onHostRead = await p.host.modules.content.synced.read(p.host.kernel.db.kysely, there.id);
      assert.equal(onHostRead?.data.kind, 'text');
    });

    test('the guest pushes small copies inline (no partnerUpload) and a larger one in chunks', async () => {
      const files = { 'Guest small 1': randomBytes(2_000), 'Guest small 2': randomBytes(30_000) };
      const larger = randomBytes(700_000);
      for (const [title, bytes] of Object.entries({ ...files, 'Guest larger': larger })) {
        const id = await addItem(p.guest, p.guestToken, { title, type: 'PDF' }, { name: 'g.pdf', bytes });
        await share(p.guest, p.guestToken, id, p.guestGroup);
      }
      calls.clear();
      const run = await syncNow(p);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.equal(run.summary.sent, 3);
      // The larger file: its state asked, then two chunks; the small ones none.
      assert.equal(called('partnerUpload'), 3);
      assert.equal(called('partnerApply'), 1);
      assert.equal(run.summary.bytes, 2_000 + 30_000 + 700_000);
      const got = await onHost();
      for (const [title, b] of Object.entries({ ...files, 'Guest larger': larger }))
        assert.equal(await dataSha(p.host, p.hostToken, byTitle(got, title).id), sha(b), title);
      assert.deepEqual(partials('host'), [], 'every checked file went into the store');
    });

    test('a wrong inline digest is refused, naming the item: nothing of the batch is applied or kept', async () => {
      const cursorBefore = Number(
        (
          await p.guest.modules.collaboration.partners.call(
            p.collaborationId,
            p.hostId,
            p.path(`workspaces/${p.workspaceId}/partnerCursor`),
          )
        ).cursor,
      );
      const change = (id: string, title: string, bytes: Buffer, digest = sha(bytes)): WireChange => ({
        seq: cursorBefore + 1,
        originItemId: id,
        op: 'upsert',
        as: 'copy',
        item: {
          title,
          type: 'PDF',
          typeKeywords: [],
          description: '',
          snippet: '',
          tags: [],
          url: null,
          modified: Date.now(),
          originUrl: `${p.guest.url}/sharing/rest/content/items/${id}`,
          data: {
            kind: 'file',
            name: `${title}.pdf`,
            size: bytes.length,
            contentType: 'application/pdf',
            sha256: digest,
            inline: bytes.toString('base64'),
          },
        },
      });
      const good = randomBytes(500);
      const sent = randomBytes(500);
      const claimed = randomBytes(500);
      const r = await apply(
        [
          change('a0000000000000000000000000000001', 'Fine one', good),
          change('a0000000000000000000000000000002', 'Tampered', sent, sha(claimed)),
        ],
        cursorBefore + 1,
      );
      assert.equal(r.code, 'collaboration.data_checksum_mismatch', JSON.stringify(r));
      assert.match(r.message, /a0000000000000000000000000000002/);
      const titles = (await onHost()).map((i) => i.title);
      assert.ok(!titles.includes('Fine one') && !titles.includes('Tampered'), titles.join(', '));
      assert.deepEqual(partials('host'), [], 'no checked file kept');
      const cursor = await p.guest.modules.collaboration.partners.call(
        p.collaborationId,
        p.hostId,
        p.path(`workspaces/${p.workspaceId}/partnerCursor`),
      );
      assert.equal(Number(cursor.cursor), cursorBefore, 'the cursor stays');

      // What arrives is checked: base64 only, its size the announced one.
      const notBase64 = change('a0000000000000000000000000000003', 'Bad', good) as Json;
      notBase64.item.data.inline = `${notBase64.item.data.inline.slice(0, -4)}*@#!`;
      assert.equal((await apply([notBase64], cursorBefore)).code, 'collaboration.invalid_input');
      const shortened = change('a0000000000000000000000000000004', 'Short', good) as Json;
      shortened.item.data.size = 499;
      assert.equal((await apply([shortened], cursorBefore)).code, 'collaboration.invalid_input');
      const tooLong = change('a0000000000000000000000000000005', 'Long', randomBytes(INLINE_MAX_BYTES + 3));
      assert.equal((await apply([tooLong], cursorBefore)).code, 'collaboration.invalid_input');

      // The guest's side of a pull writes a checked file only when the bytes are the announced ones.
      const dir = mkdtempSync(join(tmpdir(), 'meridian-inline-'));
      try {
        await assert.rejects(
          receiveInline(dir, change('a0000000000000000000000000000006', 'Pulled', sent, sha(claimed))),
          (e: { code?: string; message?: string }) =>
            e.code === 'collaboration.data_checksum_mismatch' &&
            /a0000000000000000000000000000006/.test(e.message ?? ''),
        );
        assert.deepEqual(readdirSync(dir), []);
        assert.equal(await receiveInline(dir, change('a0000000000000000000000000000007', 'Ok', good)), 500);
        assert.deepEqual(readdirSync(dir), [`${sha(good)}.ok`]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
