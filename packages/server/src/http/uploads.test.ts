/**
 * Uploads reach the disk only for a caller who is known and may use the route, and leave
 * nothing behind whatever goes wrong: a refused caller, a file or field over its limit, a
 * client that disconnects, a body without its closing boundary. Every check watches the
 * portal's temporary folder with inotify (fs.watch), so "never written" means never written.
 */
import assert from 'node:assert/strict';
import { type FSWatcher, mkdirSync, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect } from 'node:tls';
import { FormData, startTestPortal, type TestPortal } from '../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../identity/test-users.ts';

const MAX_UPLOAD = 64 * 1024;
const MAX_FIELD = 32 * 1024;
const PRE_AUTH = 16 * 1024;

describe('uploads: authenticated first, nothing left behind', () => {
  let portal: TestPortal;
  let user: string;
  let admin: string;
  let tmp: string;
  let events: string[] = [];
  let watcher: FSWatcher;

  before(async () => {
    portal = await startTestPortal({
      overrides: {
        'uploads.maxBytes': MAX_UPLOAD,
        'body.maxBytes': MAX_FIELD,
        'uploads.preAuthMaxBytes': PRE_AUTH,
      },
    });
    await addUser(portal, 'upload1');
    user = await portal.token('upload1', USER_PASSWORD);
    admin = await portal.token();
    tmp = join(portal.home, 'tmp');
    mkdirSync(tmp, { recursive: true });
    watcher = watch(tmp, (_event, name) => events.push(String(name)));
  });
  after(async () => {
    watcher?.close();
    await portal?.close();
  });

  /** Runs a request and answers what was written to tmp meanwhile (and what is left). */
  async function watching<T>(
    run: () => Promise<T>,
  ): Promise<{ result: T; written: string[]; left: string[] }> {
    events = [];
    const result = await run();
    // inotify events arrive asynchronously: give them a moment.
    await new Promise((r) => setTimeout(r, 100));
    return { result, written: [...new Set(events)], left: readdirSync(tmp) };
  }

  async function post(path: string, form: FormData, headers: Record<string, string> = {}) {
    const res = await portal.fetch(path, { method: 'POST', body: form, headers });
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers of several shapes.
    return (await res.json()) as any;
  }

  const csv = (bytes: number) => new Blob([`a,b\n${'1,2\n'.repeat(Math.ceil(bytes / 4))}`.slice(0, bytes)]);

  function itemForm(fields: Record<string, string>, file?: Blob, tokenAfter?: string) {
    const form = new FormData();
    form.set('f', 'json');
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    if (file) form.set('file', file, 'data.csv');
    if (tokenAfter) form.set('token', tokenAfter);
    return form;
  }

  async function itemCount(username = 'upload1') {
    const r = await portal.call(
      `/sharing/rest/content/users/${username}`,
      { token: admin, num: 100 },
      { method: 'GET' },
    );
    return r.total as number;
  }

  test('no token: 499, and the file never touches the disk', async () => {
    const before = await itemCount();
    const { result, written, left } = await watching(() =>
      post(
        '/sharing/rest/content/users/upload1/addItem',
        itemForm({ title: 'Anon', type: 'CSV' }, csv(4000)),
      ),
    );
    assert.equal(result.error.code, 499, JSON.stringify(result));
    assert.deepEqual(written, [], 'nothing was written');
    assert.deepEqual(left, []);
    assert.equal(await itemCount(), before);
  });

  test('an invalid token before the file: 498 before the file is read', async () => {
    const form = itemForm({ token: `${user}x`, title: 'Bad', type: 'CSV' }, csv(4000));
    const { result, written } = await watching(() =>
      post('/sharing/rest/content/users/upload1/addItem', form),
    );
    assert.equal(result.error.code, 498, JSON.stringify(result));
    assert.deepEqual(written, []);
  });

  test('a caller who may not use the route: 403 before the file is read', async () => {
    await addUser(portal, 'other01');
    const other = await portal.token('other01', USER_PASSWORD);
    for (const [path, label] of [
      ['/sharing/rest/content/users/upload1/addItem', 'another user’s content'],
      ['/portaladmin/security/sslCertificates/importRootOrIntermediate', 'an administrator route'],
    ] as const) {
      const form = itemForm({ token: other, title: 'X', type: 'CSV', alias: 'x-ca' }, csv(4000));
      const { result, written } = await watching(() => post(path, form));
      const code = result.error?.code ?? result.code;
      assert.equal(code, 403, `${label}: ${JSON.stringify(result)}`);
      assert.deepEqual(written, [], label);
    }
  });

  test('the token after the file (as arcgis-rest-js sends it): held in memory, stored once it verifies', async () => {
    const body = csv(6000);
    const { result, written, left } = await watching(() =>
      post(
        '/sharing/rest/content/users/upload1/addItem',
        itemForm({ title: 'Late token', type: 'CSV' }, body, user),
      ),
    );
    assert.equal(result.success, true, JSON.stringify(result));
    assert.equal(written.length, 1, 'written once, after the token verified');
    assert.deepEqual(left, [], 'moved into the file store');
    const item = await portal.call(`/sharing/rest/content/items/${result.id}`, { token: user });
    assert.equal(item.size, 6000, 'size is the bytes received');
    assert.equal(item.name, 'data.csv');
  });

  test('the token after a file larger than uploads.preAuthMaxBytes: 499 that says to send the token first', async () => {
    const { result, written } = await watching(() =>
      post(
        '/sharing/rest/content/users/upload1/addItem',
        itemForm({ title: 'Late big', type: 'CSV' }, csv(PRE_AUTH + 1000), user),
      ),
    );
    assert.equal(result.error.code, 499, JSON.stringify(result));
    assert.match(result.error.message, /arrived before the request's token .* Send the token first/);
    assert.deepEqual(written, []);
  });

  test('a file over uploads.maxBytes: request.too_large, and no file is left', async () => {
    const before = await itemCount();
    const { result, left } = await watching(() =>
      post(
        '/sharing/rest/content/users/upload1/addItem',
        itemForm({ token: user, title: 'Huge', type: 'CSV' }, csv(MAX_UPLOAD + 1)),
      ),
    );
    assert.equal(result.error.messageCode, 'request.too_large', JSON.stringify(result));
    assert.deepEqual(left, []);
    assert.equal(await itemCount(), before);
  });

  test('a text field over body.maxBytes is refused, never cut', async () => {
    const before = await itemCount();
    const form = itemForm({ token: user, title: 'Long text', type: 'CSV', text: 'x'.repeat(MAX_FIELD + 10) });
    const result = await post('/sharing/rest/content/users/upload1/addItem', form);
    assert.equal(result.error.messageCode, 'request.too_large', JSON.stringify(result));
    assert.match(result.error.message, /'text' is larger than 32768 bytes/);
    assert.equal(await itemCount(), before);
  });

  test('a file part to a resource that takes no files is refused unread', async () => {
    const form = itemForm({ token: user, title: 'Folder' }, csv(4000));
    const { result, written } = await watching(() =>
      post('/sharing/rest/content/users/upload1/createFolder', form),
    );
    assert.match(result.error.message, /takes no files/, JSON.stringify(result));
    assert.deepEqual(written, []);
  });

  /** Sends a multipart request by hand over TLS, stopping where `cut` says. */
  function rawUpload(cut: 'disconnect' | 'no-closing-boundary'): Promise<string> {
    const url = new URL(portal.url);
    const boundary = 'RAWBOUNDARY';
    const head = [
      `--${boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\n${user}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nCut\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\nCSV\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ].join('');
    const data = `a,b\n${'1,2\n'.repeat(4000)}`;
    const declared = head.length + data.length + 2000;
    return new Promise((resolve, reject) => {
      const socket = connect(
        { host: url.hostname, port: Number(url.port), ca: portal.caCertPem, servername: 'localhost' },
        () => {
          socket.write(
            `POST /sharing/rest/content/users/upload1/addItem?f=json HTTP/1.1\r\nHost: ${url.host}\r\n` +
              `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
              (cut === 'disconnect' ? `Content-Length: ${declared}\r\n` : 'Transfer-Encoding: chunked\r\n') +
              'Connection: close\r\n\r\n',
          );
          if (cut === 'disconnect') {
            socket.write(head + data);
            setTimeout(() => {
              socket.destroy();
              resolve('');
            }, 200);
          } else {
            const body = `${head}${data}`;
            socket.write(`${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
          }
        },
      );
      let answer = '';
      socket.on('data', (d) => {
        answer += d.toString();
      });
      socket.on('end', () => resolve(answer));
      socket.on('error', (err) => (cut === 'disconnect' ? resolve('') : reject(err)));
    });
  }

  async function emptied(): Promise<string[]> {
    for (let i = 0; i < 50 && readdirSync(tmp).length; i++) await new Promise((r) => setTimeout(r, 100));
    return readdirSync(tmp);
  }

  test('a client that disconnects mid-file leaves no file and no item', async () => {
    const before = await itemCount();
    const { written } = await watching(() => rawUpload('disconnect'));
    assert.equal(written.length, 1, 'the upload had begun to be written (the case under test)');
    assert.deepEqual(await emptied(), []);
    assert.equal(await itemCount(), before);
  });

  test('a body without its closing boundary: 400, and no file is left', async () => {
    const before = await itemCount();
    const { result: answer, written } = await watching(() => rawUpload('no-closing-boundary'));
    assert.equal(written.length, 1, 'the upload had begun to be written (the case under test)');
    assert.match(
      answer,
      /"code":400.*Malformed multipart body: Unexpected end of multipart data/s,
      answer.slice(0, 600),
    );
    assert.deepEqual(await emptied(), []);
    assert.equal(await itemCount(), before);
  });
});
