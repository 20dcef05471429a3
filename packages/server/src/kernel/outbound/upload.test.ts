/**
 * Streamed request bodies through the guarded client, against a real HTTPS listener on
 * 127.0.0.1: every kind of body arrives intact (SHA-256 at both ends), a multipart form with a
 * file from disk parses back to its fields and the file's bytes, a redirect with a streamed
 * body fails clearly, the address policy refuses before a byte is read, the time limits stop
 * an upload the server no longer reads (and the file is closed), progress keeps the idle limit
 * from firing, and a body that fails while it is read is reported as such.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { openAsBlob, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningServer, startHttpsServer } from '../../pki/diagnose/test-servers.ts';
import { generateCertificate } from '../../pki/generate-certificate.ts';
import { createRootCa, type KeyAndCert } from '../../pki/local-ca.ts';
import { leafOptions, type TempDir, tempDir } from '../../pki/test-helpers.ts';
import type { MeridianError } from '../errors/meridian-error.ts';
import { createOutboundClient, type OutboundClientOptions } from './guarded-client.ts';
import { multipartBody } from './multipart-body.ts';

const MiB = 1024 * 1024;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Echo {
  sha256: string;
  bytes: number;
  contentLength?: string;
  chunked: boolean;
}

/** The body as an async generator of `total` bytes, hashing what it hands out. */
function generated(total: number, seen: { pulled: number; hash: ReturnType<typeof createHash> }) {
  return (async function* () {
    const chunk = randomBytes(64 * 1024);
    while (seen.pulled < total) {
      const part = chunk.subarray(0, Math.min(chunk.length, total - seen.pulled));
      seen.pulled += part.length;
      seen.hash.update(part);
      yield part;
    }
  })();
}

const rejectsWith = (p: Promise<unknown>, code: string, message?: RegExp) =>
  assert.rejects(p, (err: MeridianError) => {
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });

/** Whether this process has `path` open (a file descriptor pointing at it). */
const isOpen = (path: string) =>
  readdirSync('/proc/self/fd').some((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  });

describe('guarded outbound client: streamed request bodies (real HTTPS listener on 127.0.0.1)', () => {
  let ca: KeyAndCert;
  let server: RunningServer;
  let dir: TempDir;
  let requests = 0;
  const client = (extra: Partial<OutboundClientOptions> = {}) =>
    createOutboundClient({
      trustAnchors: () => [ca.certPem],
      includePublicRoots: false,
      allowLoopback: true,
      allowPrivate: false,
      ...extra,
    });
  const echo = async (req: IncomingMessage, res: ServerResponse) => {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const c of req) {
      hash.update(c as Buffer);
      bytes += (c as Buffer).length;
    }
    const answer: Echo = {
      sha256: hash.digest('hex'),
      bytes,
      contentLength: req.headers['content-length'],
      chunked: req.headers['transfer-encoding'] === 'chunked',
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  };
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void | Promise<void>> = {
    '/echo': echo,
    // The platform's multipart parser (undici) reads the form back: fields, file names, bytes.
    '/form': async (req, res) => {
      const form = await new Request('https://form.test/', {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: Readable.toWeb(req) as ReadableStream,
        duplex: 'half',
      } as RequestInit).formData();
      const parts: unknown[] = [];
      for (const [name, v] of form)
        parts.push(
          typeof v === 'string'
            ? { name, value: v }
            : { name, filename: v.name, type: v.type, sha256: sha256(new Uint8Array(await v.arrayBuffer())) },
        );
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(parts));
    },
    '/redirect': (_req, res) => {
      res.writeHead(307, { location: '/echo' }).end();
    },
    // Refuses at once, reading nothing of the body (as a server refusing the token would).
    '/refuse': (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"token required"}');
    },
    // Reads nothing of the body and never answers.
    '/stuck': (req) => {
      req.pause();
    },
    // Reads the body at about 10 MB/s: 512 KiB, then a 50 ms pause.
    '/slow': (req, res) => {
      let since = 0;
      req.on('data', (c: Buffer) => {
        since += c.length;
        if (since < 512 * 1024) return;
        since = 0;
        req.pause();
        setTimeout(() => req.resume(), 50);
      });
      req.on('end', () => res.end('read'));
    },
  };
  before(async () => {
    ca = await createRootCa('Upload Test CA');
    dir = tempDir('meridian-upload-');
    const leaf = await generateCertificate(leafOptions({ issuer: ca }));
    server = await startHttpsServer({ key: leaf.keyPem, cert: leaf.certPem + ca.certPem }, (req, res) => {
      requests++;
      const handler = routes[req.url ?? ''];
      // A client that stops mid-body (the failure tests) aborts the read: the answer is dropped.
      if (handler) Promise.resolve(handler(req, res)).catch(() => res.destroy());
      else res.writeHead(404).end();
    });
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  const post = (path: string, body: Parameters<ReturnType<typeof client>['request']>[1], c = client()) =>
    c.request(`${server.url}${path.replace(/^\//, '')}`, { method: 'POST', ...body });

  test('each kind of streamed body arrives intact: SHA-256 at both ends, Content-Length when known', async () => {
    const data = randomBytes(3 * MiB + 17);
    const file = dir.write('data.bin', data);
    const want = sha256(data);
    const chunks = () => [data.subarray(0, MiB), data.subarray(MiB, 2 * MiB), data.subarray(2 * MiB)];
    const kinds = {
      readable: { body: Readable.from(chunks()) },
      'async iterable': {
        body: (async function* () {
          yield* chunks();
        })(),
      },
      'web ReadableStream': { body: Readable.toWeb(Readable.from(chunks())) as ReadableStream<Uint8Array> },
      'Blob (openAsBlob: read from disk)': { body: await openAsBlob(file) },
      'readable with its length': {
        body: Readable.from(chunks()),
        headers: { 'content-length': String(data.length) },
      },
    };
    for (const [kind, req] of Object.entries(kinds)) {
      const got = (await post('/echo', req)).json<Echo>();
      assert.equal(got.sha256, want, kind);
      assert.equal(got.bytes, data.length, kind);
      const known = kind.startsWith('Blob') || kind.endsWith('its length');
      assert.equal(got.contentLength, known ? String(data.length) : undefined, kind);
      assert.equal(got.chunked, !known, kind);
    }
    // Bytes held in memory are unchanged.
    const bytes = (await post('/echo', { body: data })).json<Echo>();
    assert.equal(bytes.sha256, want);
  });

  test('a multipart form streams its file from disk and parses back to the same fields and bytes', async () => {
    const data = randomBytes(5 * MiB + 3);
    const file = dir.write('trees.geojson', data);
    const form = await multipartBody([
      { name: 'f', value: 'json' },
      { name: 'service', value: JSON.stringify({ serviceName: 'Bäume "alt"', n: 1 }) },
      { name: 'file', filename: 'trees "2026".geojson', path: file },
      { name: 'small', filename: 'a.csv', data: Buffer.from('x,y\n1,2\n'), contentType: 'text/csv' },
    ]);
    const res = await post('/form', { body: form.body, headers: form.headers });
    assert.equal(res.status, 200, res.text());
    assert.deepEqual(res.json(), [
      { name: 'f', value: 'json' },
      { name: 'service', value: JSON.stringify({ serviceName: 'Bäume "alt"', n: 1 }) },
      {
        name: 'file',
        filename: 'trees "2026".geojson',
        type: 'application/octet-stream',
        sha256: sha256(data),
      },
      { name: 'small', filename: 'a.csv', type: 'text/csv', sha256: sha256(Buffer.from('x,y\n1,2\n')) },
    ]);
    // The announced length is the exact length of the body.
    const again = await multipartBody([{ name: 'file', filename: 'trees.geojson', path: file }]);
    const echoed = (await post('/echo', { body: again.body, headers: again.headers })).json<Echo>();
    assert.equal(echoed.bytes, again.length);
    assert.equal(echoed.contentLength, String(again.length));
    assert.equal(echoed.chunked, false);
    assert.ok(!isOpen(file), 'the file is closed after the upload');
  });

  test('a redirect answered to a streamed body fails naming where it pointed; bytes still follow it', async () => {
    const seen = { pulled: 0, hash: createHash('sha256') };
    await rejectsWith(
      post('/redirect', { body: generated(MiB, seen) }),
      'outbound.redirect_not_replayable',
      /\/redirect answered HTTP 307 redirecting to https:\/\/127\.0\.0\.1:\d+\/echo, and the request's body is streamed/,
    );
    const bytes = randomBytes(1000);
    const followed = await post('/redirect', { body: bytes });
    assert.equal(followed.url, `${server.url}echo`);
    assert.equal(followed.json<Echo>().sha256, sha256(bytes));
  });

  test('a server that answers before reading the body: its answer is what the caller gets', async () => {
    const seen = { pulled: 0, hash: createHash('sha256') };
    const res = await post('/refuse', { body: generated(32 * MiB, seen) });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json(), { error: 'token required' });
    assert.ok(seen.pulled < 32 * MiB, `the upload stopped (${seen.pulled} bytes read)`);
  });

  test('the address policy refuses before any byte of the body is read, and the file stays closed', async () => {
    const seen = { pulled: 0, hash: createHash('sha256') };
    const before = requests;
    const strict = client({ allowLoopback: false });
    await rejectsWith(
      post('/echo', { body: generated(MiB, seen) }, strict),
      'outbound.address_denied',
      /loopback/,
    );
    assert.equal(seen.pulled, 0, 'the body was never read');
    const file = dir.write('denied.bin', randomBytes(MiB));
    const form = await multipartBody([{ name: 'file', filename: 'denied.bin', path: file }]);
    await rejectsWith(
      strict.request(`https://localhost:${server.port}/echo`, {
        method: 'POST',
        body: form.body,
        headers: form.headers,
      }),
      'outbound.address_denied',
      /localhost resolves to 127\.0\.0\.1/,
    );
    assert.ok(!isOpen(file));
    assert.equal(requests, before, 'the server saw no request');
  });

  test('the time limit stops an upload the server does not read; the file is closed', async () => {
    const file = dir.write('stuck.bin', Buffer.alloc(64 * MiB, 1));
    const form = await multipartBody([{ name: 'file', filename: 'stuck.bin', path: file }]);
    const t0 = Date.now();
    await rejectsWith(
      post('/stuck', { body: form.body, headers: form.headers, timeoutMs: 800 }),
      'net.timeout',
    );
    assert.ok(Date.now() - t0 < 5000, `stopped in ${Date.now() - t0} ms`);
    await sleep(100);
    assert.ok(!isOpen(file), 'the file is closed once the upload stopped');
  });

  test('stream(): an upload that keeps going is activity, so the idle limit does not fire while it goes', async () => {
    const seen = { pulled: 0, hash: createHash('sha256') };
    const t0 = Date.now();
    const s = await client().stream(`${server.url}slow`, {
      method: 'POST',
      body: generated(24 * MiB, seen),
      idleTimeoutMs: 1000,
    });
    let text = '';
    for await (const c of s.body) text += c;
    assert.equal(text, 'read');
    assert.equal(seen.pulled, 24 * MiB);
    assert.ok(Date.now() - t0 > 1000, 'the upload took longer than the idle limit');
  });

  test('a body that fails while it is read: outbound.request_body_failed, with the reason', async () => {
    const failing = (async function* () {
      yield randomBytes(MiB);
      throw new Error('disk gone');
    })();
    await rejectsWith(post('/echo', { body: failing }), 'outbound.request_body_failed', /disk gone/);
    // A file that changed size since the form was built, and one that does not exist.
    const file = dir.write('changing.csv', 'x,y\n1,2\n');
    const form = await multipartBody([{ name: 'file', filename: 'changing.csv', path: file }]);
    writeFileSync(file, 'x,y\n1,2\n3,4\n');
    await rejectsWith(
      post('/echo', { body: form.body, headers: form.headers }),
      'outbound.request_body_failed',
      /changing\.csv cannot be uploaded: its size changed from 8 to 12 bytes/,
    );
    await rejectsWith(
      multipartBody([{ name: 'file', filename: 'x', path: dir.file('missing.csv') }]),
      'outbound.request_body_failed',
      /missing\.csv cannot be uploaded: ENOENT/,
    );
  });
});
