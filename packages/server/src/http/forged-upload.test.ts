/**
 * An uploaded file is only ever a multipart file part. A look-alike object
 * ({kind:'file', tempPath:…}) sent through any other channel — a JSON body, a form field, a
 * multipart field declared as application/json, the query string — must never make the
 * portal read, move or delete the server file it names. Every route that takes a file is tried.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../identity/test-users.ts';

const CANARY = '-----BEGIN CANARY-----\nthe first bytes of a file the client must never see\n';

type Channel = 'json' | 'form' | 'multipart-json-field' | 'query';
const CHANNELS: Channel[] = ['json', 'form', 'multipart-json-field', 'query'];

describe('forged upload objects are never files', () => {
  let portal: TestPortal;
  let userToken: string;
  let adminToken: string;
  let canaryPath: string;
  let secretsBefore: Buffer;
  let itemId: string;

  before(async () => {
    portal = await startTestPortal();
    await addUser(portal, 'mallory1');
    userToken = await portal.token('mallory1', USER_PASSWORD);
    adminToken = await portal.token();
    canaryPath = join(portal.home, 'canary.pem');
    writeFileSync(canaryPath, CANARY);
    secretsBefore = readFileSync(join(portal.home, 'secrets.key'));
    const added = await portal.call('/sharing/rest/content/users/mallory1/addItem', {
      token: userToken,
      title: 'Mine',
      type: 'CSV',
      text: 'a,b\n1,2\n',
    });
    assert.equal(added.success, true, JSON.stringify(added));
    itemId = added.id;
    const csr = await portal.call('/portaladmin/security/sslCertificates/pending/generateCSR', {
      token: adminToken,
      cn: 'localhost',
      san: 'localhost',
    });
    assert.equal(csr.status, 'success', JSON.stringify(csr));
  });
  after(() => portal?.close());

  function forged(path: string) {
    return { kind: 'file', filename: 'x.csv', mimetype: 'text/csv', tempPath: path, size: 3 };
  }

  async function send(
    channel: Channel,
    url: string,
    fields: Record<string, string>,
    file: object,
    name = 'file',
  ) {
    const all = { f: 'json', ...fields };
    let res: Response;
    if (channel === 'json') {
      res = (await portal.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...all, [name]: file }),
      })) as unknown as Response;
    } else if (channel === 'form') {
      const body = new URLSearchParams({ ...all, [name]: JSON.stringify(file) });
      for (const [k, v] of Object.entries(file)) body.set(`${name}[${k}]`, String(v));
      res = (await portal.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      })) as unknown as Response;
    } else if (channel === 'multipart-json-field') {
      // A field (no filename) whose part declares Content-Type: application/json.
      const boundary = `----forged${Date.now()}`;
      const parts = Object.entries(all).map(
        ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
      );
      parts.push(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(file)}\r\n`,
      );
      res = (await portal.fetch(url, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: `${parts.join('')}--${boundary}--\r\n`,
      })) as unknown as Response;
    } else {
      const q = new URLSearchParams(all);
      for (const [k, v] of Object.entries(file)) q.set(`${name}[${k}]`, String(v));
      q.set(name, JSON.stringify(file));
      res = (await portal.fetch(`${url}?${q}`, { method: 'POST' })) as unknown as Response;
    }
    return { status: res.status, text: await res.text() };
  }

  const routes = (): { name: string; url: string; token: string; fields: Record<string, string> }[] => [
    {
      name: 'addItem',
      url: '/sharing/rest/content/users/mallory1/addItem',
      token: userToken,
      fields: { title: 'Stolen', type: 'CSV' },
    },
    {
      name: 'update',
      url: `/sharing/rest/content/users/mallory1/items/${itemId}/update`,
      token: userToken,
      fields: { title: 'Stolen' },
    },
    {
      name: 'importExistingServerCertificate',
      url: '/portaladmin/security/sslCertificates/importExistingServerCertificate',
      token: adminToken,
      fields: { alias: 'stolen', certPassword: 'x' },
    },
    {
      name: 'importSignedCertificate',
      url: '/portaladmin/security/sslCertificates/pending/importSignedCertificate',
      token: adminToken,
      fields: {},
    },
    {
      name: 'importRootOrIntermediate',
      url: '/portaladmin/security/sslCertificates/importRootOrIntermediate',
      token: adminToken,
      fields: { alias: 'stolen-ca' },
    },
  ];

  for (const channel of CHANNELS) {
    test(`through ${channel}: no route adopts, reads or deletes the named file`, async () => {
      for (const r of routes()) {
        for (const target of [canaryPath, join(portal.home, 'secrets.key')]) {
          const answer = await send(channel, r.url, { ...r.fields, token: r.token }, forged(target));
          const where = `${r.name} via ${channel} naming ${target}: ${answer.text.slice(0, 300)}`;
          assert.ok(/"error"/.test(answer.text), `refused: ${where}`);
          assert.doesNotMatch(answer.text, /CANARY|must never see/, `no bytes quoted: ${where}`);
          assert.equal(readFileSync(canaryPath, 'utf8'), CANARY, `canary untouched: ${where}`);
          assert.ok(existsSync(join(portal.home, 'secrets.key')), `secrets.key still there: ${where}`);
          assert.deepEqual(readFileSync(join(portal.home, 'secrets.key')), secretsBefore, where);
        }
      }
      const content = await portal.call(
        '/sharing/rest/content/users/mallory1',
        { token: userToken },
        { method: 'GET' },
      );
      assert.deepEqual(
        content.items.map((i: { title: string }) => i.title),
        ['Mine'],
        'nothing was adopted',
      );
      const item = await portal.call(`/sharing/rest/content/items/${itemId}`, { token: userToken });
      assert.equal(item.size, 8, 'the item keeps its data');
      const trust = await portal.call('/portaladmin/security/trustStore', { token: adminToken });
      assert.ok(!JSON.stringify(trust).includes('stolen'), 'no trust entry was made');
      const certs = await portal.call('/portaladmin/security/sslCertificates', { token: adminToken });
      assert.ok(!JSON.stringify(certs).includes('stolen'), 'no certificate was made');
    });
  }

  test('a forged thumbnail object is never a thumbnail, through any channel', async () => {
    for (const channel of CHANNELS) {
      await send(
        channel,
        `/sharing/rest/content/users/mallory1/items/${itemId}/update`,
        { token: userToken },
        forged(canaryPath),
        'thumbnail',
      );
      assert.equal(readFileSync(canaryPath, 'utf8'), CANARY, channel);
      const item = await portal.call(`/sharing/rest/content/items/${itemId}`, { token: userToken });
      assert.equal(item.thumbnail, null, channel);
    }
  });
});
