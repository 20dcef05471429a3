/**
 * Item data must match the item's declared type where the type has a known format; thumbnails
 * are real images; and the file store keeps no file that no item references.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FormData, startTestPortal, type TestPortal } from '../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../identity/test-users.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The files in a files directory, without the store's own .meridian-store marker. */
const itemFiles = (dir: string) => readdirSync(dir).filter((n) => n !== '.meridian-store');

describe('item data formats, thumbnails and the file store', () => {
  let portal: TestPortal;
  let token: string;
  const api = '/sharing/rest/content';

  before(async () => {
    portal = await startTestPortal();
    await addUser(portal, 'files01');
    token = await portal.token('files01', USER_PASSWORD);
  });
  after(() => portal?.close());

  async function send(
    path: string,
    fields: Record<string, string>,
    files: Record<string, { name: string; body: Buffer | string; type?: string }> = {},
    on: TestPortal = portal,
  ) {
    const form = new FormData();
    form.set('f', 'json');
    form.set('token', token);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    for (const [k, f] of Object.entries(files))
      form.set(k, new Blob([f.body], { type: f.type ?? 'application/octet-stream' }), f.name);
    const res = await on.fetch(path, { method: 'POST', body: form });
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers of several shapes.
    return (await res.json()) as any;
  }

  const stored = () => {
    try {
      return itemFiles(join(portal.home, 'files')).sort();
    } catch {
      return [];
    }
  };

  test('data that does not match a GeoJSON, Web Map or CSV item is a clear 400, and nothing is stored', async () => {
    const before = stored();
    const cases: [
      string,
      Record<string, string>,
      Record<string, { name: string; body: Buffer | string }>,
      RegExp,
    ][] = [
      ['GeoJSON', { text: 'a,b\n1,2' }, {}, /declared as "GeoJSON" but its data is not valid JSON/],
      ['GeoJSON', { text: '{"type":"Topology"}' }, {}, /has no GeoJSON "type" .* it says "Topology"/],
      ['GeoJSON', {}, { file: { name: 'map.png', body: PNG } }, /declared as "GeoJSON"/],
      ['Web Map', { text: '[1,2,3]' }, {}, /declared as "Web Map" but its data is not a JSON object/],
      ['Web Map', { text: '{"operationalLayers":{}}' }, {}, /"operationalLayers" is not an array/],
      [
        'CSV',
        {},
        { file: { name: 'x.csv', body: PNG } },
        /declared as "CSV" but its data contains NUL bytes/,
      ],
    ];
    for (const [type, fields, files, message] of cases) {
      const r = await send(`${api}/users/files01/addItem`, { title: `Bad ${type}`, type, ...fields }, files);
      assert.equal(r.error?.messageCode, 'content.data_type_mismatch', `${type}: ${JSON.stringify(r)}`);
      assert.match(r.error.message, message);
    }
    assert.deepEqual(stored(), before);
    const fc = JSON.stringify({ type: 'FeatureCollection', features: [] });
    const good = await send(
      `${api}/users/files01/addItem`,
      { title: 'Points', type: 'GeoJSON' },
      {
        file: { name: 'points.geojson', body: fc },
      },
    );
    assert.equal(good.success, true, JSON.stringify(good));
    const image = await send(
      `${api}/users/files01/addItem`,
      { title: 'Picture', type: 'Image' },
      {
        file: { name: 'p.png', body: PNG },
      },
    );
    assert.equal(image.success, true, 'types without a known format take any data');
  });

  test('changing the type of an item to one its data does not fit is refused and changes nothing', async () => {
    const added = await send(`${api}/users/files01/addItem`, {
      title: 'Table',
      type: 'CSV',
      text: 'a,b\n1,2\n',
    });
    assert.equal(added.success, true, JSON.stringify(added));
    const r = await send(`${api}/users/files01/items/${added.id}/update`, { type: 'GeoJSON' });
    assert.equal(r.error?.messageCode, 'content.data_type_mismatch', JSON.stringify(r));
    const item = await portal.call(`${api}/items/${added.id}`, { token });
    assert.equal(item.type, 'CSV');
  });

  test('a thumbnail is a real image, served under the path the item names, replaced and removed cleanly', async () => {
    const added = await send(
      `${api}/users/files01/addItem`,
      { title: 'With thumb', type: 'CSV', text: 'a\n1\n' },
      {
        thumbnail: { name: 'my picture.png', body: PNG },
      },
    );
    assert.equal(added.success, true, JSON.stringify(added));
    const item = await portal.call(`${api}/items/${added.id}`, { token });
    assert.equal(item.thumbnail, 'thumbnail/my_picture.png');
    const res = await portal.fetch(`${api}/items/${added.id}/info/${item.thumbnail}?token=${token}`);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG);
    const other = await portal.fetch(`${api}/items/${added.id}/info/${item.thumbnail}`);
    assert.match(
      await other.text(),
      /does not exist or is inaccessible/,
      'a private item’s thumbnail is private',
    );

    const before = stored();
    const fake = await send(
      `${api}/users/files01/items/${added.id}/update`,
      {},
      {
        thumbnail: { name: 'evil.png', body: '<svg onload=alert(1)>' },
      },
    );
    assert.equal(fake.error?.messageCode, 'content.thumbnail_invalid', JSON.stringify(fake));
    assert.deepEqual(stored(), before, 'nothing stored');

    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64)]);
    const replaced = await send(
      `${api}/users/files01/items/${added.id}/update`,
      {},
      {
        thumbnail: { name: 'new.jpeg', body: jpeg },
      },
    );
    assert.equal(replaced.success, true, JSON.stringify(replaced));
    assert.equal((await portal.call(`${api}/items/${added.id}`, { token })).thumbnail, 'thumbnail/new.jpg');
    assert.equal(stored().length, before.length, 'the old thumbnail was removed');
    await send(`${api}/users/files01/items/${added.id}/delete`, {});
    assert.equal(stored().length, before.length - 1, 'deleting the item removes its thumbnail');
  });

  test('at start, stale uploads go; unreferenced files are reported and removed after the grace period', async () => {
    const home = mkdtempSync(join(tmpdir(), 'meridian-sweep-'));
    try {
      let node = await startTestPortal({ home });
      const admin = await node.token();
      const kept = await node.call(`${api}/users/admin/addItem`, {
        token: admin,
        title: 'Kept',
        type: 'CSV',
        text: 'a\n1\n',
      });
      assert.equal(kept.success, true);
      await send(
        `${api}/users/admin/addItem`,
        { token: admin, title: 'T', type: 'Image' },
        { file: { name: 'p.png', body: PNG } },
        node,
      );
      await node.close();
      const tmp = join(home, 'tmp');
      const files = join(home, 'files');
      mkdirSync(tmp, { recursive: true });
      const referenced = itemFiles(files);
      assert.equal(referenced.length, 1);
      writeFileSync(join(tmp, 'upload-left-by-a-crash'), 'partial');
      const old = 'a'.repeat(32);
      const recent = 'b'.repeat(32);
      writeFileSync(join(files, old), 'orphan');
      writeFileSync(join(files, recent), 'orphan');
      writeFileSync(join(files, 'README'), 'not a name the store makes');
      const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
      utimesSync(join(files, old), twoDaysAgo, twoDaysAgo);
      node = await startTestPortal({ home });
      await node.close();
      assert.deepEqual(readdirSync(tmp), []);
      assert.deepEqual(itemFiles(files).sort(), ['README', recent, ...referenced].sort());
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
