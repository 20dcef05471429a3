import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FormData, startTestPortal, type TestPortal } from '../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../identity/test-users.ts';

const NOT_FOUND = 'Item does not exist or is inaccessible.';
const MAX_UPLOAD = 4096;

/** Items, data, folders and access over real HTTPS, on both databases. */
for (const database of ['sqlite', 'postgres'] as const) {
  describe(`items over HTTPS (${database})`, () => {
    let portal: TestPortal;
    let alice1: string;
    let bobby1: string;
    const api = '/sharing/rest/content';

    const call = (
      path: string,
      fields: Record<string, string | number | boolean>,
      token?: string,
      method?: 'GET',
    ) => portal.call(path, token ? { ...fields, token } : fields, method ? { method } : {});

    async function upload(
      path: string,
      token: string,
      fields: Record<string, string>,
      file?: { name: string; body: Buffer; type: string },
    ) {
      const form = new FormData();
      form.set('f', 'json');
      form.set('token', token);
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      if (file) form.set('file', new Blob([file.body], { type: file.type }), file.name);
      const res = await portal.fetch(path, { method: 'POST', body: form });
      // biome-ignore lint/suspicious/noExplicitAny: JSON answers of several shapes, checked field by field.
      return res.json() as Promise<any>;
    }

    const storedFiles = () => {
      try {
        return readdirSync(join(portal.home, 'files')).filter((n) => n !== '.meridian-store');
      } catch {
        return [];
      }
    };

    before(async () => {
      portal = await startTestPortal({ database, overrides: { 'uploads.maxBytes': MAX_UPLOAD } });
      await addUser(portal, 'alice1');
      await addUser(portal, 'bobby1');
      alice1 = await portal.token('alice1', USER_PASSWORD);
      bobby1 = await portal.token('bobby1', USER_PASSWORD);
    });
    after(() => portal.close());

    test('addItem with text data, getItem in the ArcGIS shape, /data as JSON', async () => {
      const webmap = JSON.stringify({ operationalLayers: [], baseMap: { title: 'Topo' } });
      const added = await call(
        `${api}/users/alice1/addItem`,
        {
          title: 'Harbour <script>alert(1)</script>',
          type: 'Web Map',
          tags: 'harbour, boats',
          typeKeywords: '["Web Map","Explorer Web Map"]',
          description: '<p>Docks &amp; piers</p>',
          snippet: 'Where the boats are',
          extent: '-1.5,50.5,-1.0,51.0',
          properties: '{"a":1}',
          text: webmap,
        },
        alice1,
      );
      assert.equal(added.success, true, JSON.stringify(added));
      assert.match(added.id, /^[0-9a-f]{32}$/);
      assert.equal(added.folder, null);
      const item = await call(`${api}/items/${added.id}`, {}, alice1, 'GET');
      assert.equal(item.title, 'Harbour <script>alert(1)</script>');
      assert.equal(item.description, '<p>Docks &amp; piers</p>');
      assert.equal(item.owner, 'alice1');
      assert.deepEqual(item.tags, ['harbour', 'boats']);
      assert.deepEqual(item.typeKeywords, ['Web Map', 'Explorer Web Map']);
      assert.deepEqual(item.extent, [
        [-1.5, 50.5],
        [-1, 51],
      ]);
      assert.deepEqual(item.properties, { a: 1 });
      assert.equal(item.access, 'private');
      assert.equal(item.guid, null);
      assert.equal(item.protected, false);
      assert.equal(item.size, Buffer.byteLength(webmap));
      assert.equal(typeof item.orgId, 'string');
      const data = await portal.fetch(`${api}/items/${added.id}/data?f=json&token=${alice1}`);
      assert.match(data.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(await data.json(), JSON.parse(webmap));
    });

    test('multipart upload, download with a safe Content-Disposition, update replaces the file, delete removes it', async () => {
      const body = Buffer.from('name,lat,lon\nquay,50.8,-1.1\n');
      const added = await upload(
        `${api}/users/alice1/addItem`,
        alice1,
        { title: 'Quays', type: 'CSV' },
        {
          name: '../../etc/quäys x.csv',
          body,
          type: 'text/csv',
        },
      );
      assert.equal(added.success, true, JSON.stringify(added));
      assert.equal(storedFiles().length, 1);
      assert.match(storedFiles()[0]!, /^[0-9a-f]{32}$/);
      const item = await call(`${api}/items/${added.id}`, {}, alice1, 'GET');
      assert.equal(item.name, 'quäys x.csv');
      assert.equal(item.size, body.length);
      const res = await portal.fetch(`${api}/items/${added.id}/data?token=${alice1}`);
      assert.equal(res.headers.get('content-type'), 'text/csv');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(
        res.headers.get('content-disposition'),
        `attachment; filename="qu_ys x.csv"; filename*=UTF-8''qu%C3%A4ys%20x.csv`,
      );
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), body);

      const newer = Buffer.from('name\nother\n');
      const updated = await upload(
        `${api}/users/alice1/items/${added.id}/update`,
        alice1,
        { snippet: 'v2' },
        {
          name: 'v2.csv',
          body: newer,
          type: 'text/csv',
        },
      );
      assert.equal(updated.success, true, JSON.stringify(updated));
      assert.equal(storedFiles().length, 1, 'the replaced file is removed');
      const res2 = await portal.fetch(`${api}/items/${added.id}/data?token=${alice1}`);
      assert.deepEqual(Buffer.from(await res2.arrayBuffer()), newer);

      const deleted = await call(`${api}/users/alice1/items/${added.id}/delete`, {}, alice1);
      assert.deepEqual(deleted, { success: true, itemId: added.id });
      assert.equal(storedFiles().length, 0);
      assert.equal((await call(`${api}/items/${added.id}`, {}, alice1, 'GET')).error.message, NOT_FOUND);
    });

    test('a file over uploads.maxBytes is refused and nothing is stored', async () => {
      const before = (await call(`${api}/users/alice1`, { num: 100 }, alice1, 'GET')).total;
      const r = await upload(
        `${api}/users/alice1/addItem`,
        alice1,
        { title: 'Too big', type: 'CSV' },
        {
          name: 'big.csv',
          body: Buffer.alloc(MAX_UPLOAD + 1, 65),
          type: 'text/csv',
        },
      );
      assert.equal(r.error.code, 400, JSON.stringify(r));
      assert.match(
        r.error.message,
        /'big.csv' is larger than 4096 bytes \(uploads.maxBytes\); nothing was stored/,
      );
      assert.equal((await call(`${api}/users/alice1`, { num: 100 }, alice1, 'GET')).total, before);
      assert.equal(storedFiles().length, 0);
      assert.deepEqual(readdirSync(join(portal.home, 'tmp')), []);
    });

    test('bad input is a clear 400 and changes nothing', async () => {
      const bad = async (fields: Record<string, string>, message: RegExp) => {
        const r = await call(`${api}/users/alice1/addItem`, { title: 'T', type: 'CSV', ...fields }, alice1);
        assert.equal(r.error?.code, 400, JSON.stringify(r));
        assert.match(r.error.message, message);
      };
      const before = (await call(`${api}/users/alice1`, { num: 100 }, alice1, 'GET')).total;
      await bad({ colour: 'red' }, /Unknown parameter 'colour'/);
      await bad({ extent: '1,2,3' }, /'extent' must be four numbers/);
      await bad({ extent: '5,0,1,1' }, /xmin must not exceed xmax/);
      await bad({ properties: '[1]' }, /'properties' must be a JSON object/);
      await bad({ url: 'javascript:alert(1)' }, /'url' must be an http or https URL/);
      await bad({ tags: '["a", 3]' }, /'tags' must be a JSON array of strings/);
      await bad({ title: 'x'.repeat(300) }, /'title' is 300 characters long/);
      await bad({ file: 'not-a-file' }, /'file' must be sent as a file part/);
      await bad({ multipart: 'true' }, /Multipart \(chunked\) uploads/);
      const missing = await call(`${api}/users/alice1/addItem`, { title: 'No type' }, alice1);
      assert.match(missing.error.message, /Missing required parameter 'type'/);
      assert.equal((await call(`${api}/users/alice1`, { num: 100 }, alice1, 'GET')).total, before);
    });

    test('a malformed multipart body is a 400', async () => {
      const malformed = await portal.fetch(`${api}/users/alice1/addItem?f=json&token=${alice1}`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
        body: '--XYZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nbroken',
      });
      const r = (await malformed.json()) as { error: { code: number; message: string } };
      assert.equal(r.error.code, 400);
      assert.match(r.error.message, /Malformed multipart body/);
    });

    test('folders: create, add into, list, move, delete with its items', async () => {
      const created = await call(`${api}/users/alice1/createFolder`, { title: 'Maps' }, alice1);
      assert.equal(created.success, true);
      assert.deepEqual(Object.keys(created.folder).sort(), ['id', 'title', 'username']);
      const folderId = created.folder.id;
      const dup = await call(`${api}/users/alice1/createFolder`, { title: 'maps' }, alice1);
      assert.match(dup.error.message, /already exists/);
      const inFolder = await call(
        `${api}/users/alice1/${folderId}/addItem`,
        { title: 'In folder', type: 'CSV' },
        alice1,
      );
      assert.equal(inFolder.folder, folderId);
      const root = await call(`${api}/users/alice1/addItem`, { title: 'At root', type: 'CSV' }, alice1);
      const listing = await call(`${api}/users/alice1/${folderId}`, {}, alice1, 'GET');
      assert.equal(listing.currentFolder.id, folderId);
      assert.deepEqual(
        listing.items.map((i: { title: string }) => i.title),
        ['In folder'],
      );
      assert.ok(listing.folders.some((f: { id: string }) => f.id === folderId));
      const moved = await call(`${api}/users/alice1/items/${root.id}/move`, { folder: folderId }, alice1);
      assert.deepEqual(moved, { success: true, itemId: root.id, owner: 'alice1', folder: folderId });
      assert.equal((await call(`${api}/items/${root.id}`, {}, alice1, 'GET')).ownerFolder, folderId);
      const back = await call(`${api}/users/alice1/items/${inFolder.id}/move`, { folder: '/' }, alice1);
      assert.equal(back.folder, null);
      const badMove = await call(`${api}/users/alice1/items/${inFolder.id}/move`, { folder: 'nope' }, alice1);
      assert.match(badMove.error.message, /Folder 'nope' does not exist/);
      const del = await call(`${api}/users/alice1/${folderId}/delete`, {}, alice1);
      assert.deepEqual(del, { success: true, folder: { username: 'alice1', id: folderId, title: 'Maps' } });
      assert.equal((await call(`${api}/items/${root.id}`, {}, alice1, 'GET')).error.message, NOT_FOUND);
      assert.equal((await call(`${api}/items/${inFolder.id}`, {}, alice1, 'GET')).title, 'In folder');
      const page = await call(`${api}/users/alice1`, { start: 1, num: 1 }, alice1, 'GET');
      assert.equal(page.username, 'alice1');
      assert.equal(page.num, 1);
      assert.equal(page.items.length, 1);
      assert.equal(page.nextStart, page.total > 1 ? 2 : -1);
    });

    test('access: private invisible (same error as missing), org for signed-in users, public for everyone', async () => {
      const item = await call(
        `${api}/users/alice1/addItem`,
        { title: 'Secret', type: 'CSV', text: 'a,b' },
        alice1,
      );
      const missing = await call(`${api}/items/0123456789abcdef0123456789abcdef`, {}, bobby1, 'GET');
      const hidden = await call(`${api}/items/${item.id}`, {}, bobby1, 'GET');
      assert.deepEqual(hidden, missing);
      assert.equal(hidden.error.message, NOT_FOUND);
      const hiddenData = await portal.fetch(`${api}/items/${item.id}/data?f=json&token=${bobby1}`);
      assert.equal(((await hiddenData.json()) as { error: { message: string } }).error.message, NOT_FOUND);
      const notHis = await call(`${api}/users/bobby1/items/${item.id}/update`, { title: 'Mine now' }, bobby1);
      assert.equal(notHis.error.message, NOT_FOUND);
      const notHisDelete = await call(`${api}/users/bobby1/items/${item.id}/delete`, {}, bobby1);
      assert.equal(notHisDelete.error.message, NOT_FOUND);
      const otherUsersContent = await call(`${api}/users/alice1`, {}, bobby1, 'GET');
      assert.equal(otherUsersContent.error.code, 403);

      await call(`${api}/items/${item.id}/share`, { org: true }, alice1);
      assert.equal((await call(`${api}/items/${item.id}`, {}, bobby1, 'GET')).access, 'org');
      assert.equal((await call(`${api}/items/${item.id}`, {}, undefined, 'GET')).error.message, NOT_FOUND);
      const cannotEdit = await call(
        `${api}/users/bobby1/items/${item.id}/update`,
        { title: 'Mine now' },
        bobby1,
      );
      assert.equal(cannotEdit.error.code, 403);

      await call(`${api}/items/${item.id}/share`, { everyone: true }, alice1);
      const anon = await call(`${api}/items/${item.id}`, {}, undefined, 'GET');
      assert.equal(anon.access, 'public');
      const data = await portal.fetch(`${api}/items/${item.id}/data`);
      assert.equal(await data.text(), 'a,b');

      const admin = await portal.token();
      await call(`${api}/items/${item.id}/share`, { everyone: false, org: false }, alice1);
      assert.equal((await call(`${api}/items/${item.id}`, {}, admin, 'GET')).access, 'private');
      const byAdmin = await call(
        `${api}/users/alice1/items/${item.id}/update`,
        { snippet: 'checked' },
        admin,
      );
      assert.equal(byAdmin.success, true);
      const noToken = await call(`${api}/users/alice1/addItem`, { title: 'x', type: 'CSV' });
      assert.equal(noToken.error.code, 499);
    });

    test('update: empty fields are kept unless clearEmptyFields', async () => {
      const item = await call(
        `${api}/users/alice1/addItem`,
        { title: 'Keep', type: 'CSV', snippet: 's', tags: 'a,b' },
        alice1,
      );
      await call(`${api}/users/alice1/items/${item.id}/update`, { snippet: '', tags: '' }, alice1);
      let got = await call(`${api}/items/${item.id}`, {}, alice1, 'GET');
      assert.equal(got.snippet, 's');
      assert.deepEqual(got.tags, ['a', 'b']);
      await call(
        `${api}/users/alice1/items/${item.id}/update`,
        { snippet: '', tags: '', clearEmptyFields: true },
        alice1,
      );
      got = await call(`${api}/items/${item.id}`, {}, alice1, 'GET');
      assert.equal(got.snippet, '');
      assert.deepEqual(got.tags, []);
      assert.ok(got.modified >= got.created);
    });
  });
}
