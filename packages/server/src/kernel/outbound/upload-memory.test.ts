/**
 * A 200 MB file uploaded as a multipart form through the guarded client to a real HTTPS
 * listener in this process: the listener's SHA-256 of the body it received equals the
 * SHA-256 of the form encoded independently from the file on disk, and the process's resident
 * memory grows by a small fraction of the file while it goes (sampled every 10 ms), where
 * reading the file in first would add at least its 200 MB. Own file: its own process, so that
 * no other test's memory blurs the measurement.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { type RunningServer, startHttpsServer } from '../../pki/diagnose/test-servers.ts';
import { generateCertificate } from '../../pki/generate-certificate.ts';
import { createRootCa, type KeyAndCert } from '../../pki/local-ca.ts';
import { leafOptions, type TempDir, tempDir } from '../../pki/test-helpers.ts';
import { createOutboundClient } from './guarded-client.ts';
import { multipartBody } from './multipart-body.ts';

const MiB = 1024 * 1024;
const SIZE = 200 * MiB;
/**
 * The most the upload may add to the process's resident memory. Both ends run here, and each
 * leaves chunks (file reads, TLS records) for the garbage collector, which frees them in
 * batches: some 30–45 MiB measured, whatever the file's size, up to ~88 MiB on a busy machine
 * (the baseline moves with the collector). Holding the file would add 200 (reading it in: ~570).
 */
const RSS_BOUND = 120 * MiB;

/** Writes `size` bytes of a varied (not constant) pattern to `path`. */
async function writeBigFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  const block = Buffer.from(Array.from({ length: MiB }, (_, i) => (i * 7 + (i >> 9)) % 256));
  for (let written = 0, n = 0; written < size; written += block.length, n++) {
    block.writeUInt32BE(n, 0); // every MiB differs from the one before
    if (!out.write(Buffer.from(block))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

describe('guarded outbound client: a 200 MB upload in bounded memory', () => {
  let ca: KeyAndCert;
  let server: RunningServer;
  let dir: TempDir;
  let file: string;
  const received: { sha256: string; bytes: number }[] = [];
  before(async () => {
    ca = await createRootCa('Upload Memory Test CA');
    dir = tempDir('meridian-upload-mem-');
    file = dir.file('big.geojson');
    await writeBigFile(file, SIZE);
    const leaf = await generateCertificate(leafOptions({ issuer: ca }));
    server = await startHttpsServer(
      { key: leaf.keyPem, cert: leaf.certPem + ca.certPem },
      async (req: IncomingMessage, res: ServerResponse) => {
        const hash = createHash('sha256');
        let bytes = 0;
        for await (const c of req) {
          hash.update(c as Buffer);
          bytes += (c as Buffer).length;
        }
        received.push({ sha256: hash.digest('hex'), bytes });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      },
    );
  });
  after(async () => {
    await server?.close();
    dir?.remove();
  });

  test('the body arrives intact and resident memory grows by far less than the file', async (t) => {
    const client = createOutboundClient({
      trustAnchors: () => [ca.certPem],
      includePublicRoots: false,
      allowLoopback: true,
      allowPrivate: false,
    });
    const upload = async (path: string) => {
      const form = await multipartBody([
        { name: 'f', value: 'json' },
        { name: 'file', filename: 'big.geojson', path },
      ]);
      const res = await client.request(`${server.url}createService`, {
        method: 'POST',
        headers: form.headers,
        body: form.body,
        timeoutMs: 120_000,
      });
      assert.equal(res.status, 200);
      return form;
    };
    // Warm up (TLS, the code paths) on a small file, so that the baseline holds them.
    await upload(dir.write('small.geojson', Buffer.alloc(MiB, 1)));
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 10);
    const t0 = Date.now();
    let form: Awaited<ReturnType<typeof upload>>;
    try {
      form = await upload(file);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage.rss());
    const growth = peak - baseline;
    t.diagnostic(
      `200 MiB uploaded in ${Date.now() - t0} ms; RSS ${(baseline / MiB).toFixed(1)} MiB before, peak ${(peak / MiB).toFixed(1)} MiB (+${(growth / MiB).toFixed(1)} MiB)`,
    );

    // What the listener received is the form encoded from the file on disk, byte for byte.
    const boundary = /boundary=(.+)$/.exec(form.headers['content-type'])![1]!;
    const expected = createHash('sha256');
    expected.update(`--${boundary}\r\nContent-Disposition: form-data; name="f"\r\n\r\njson\r\n`);
    expected.update(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.geojson"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    for await (const c of createReadStream(file)) expected.update(c as Buffer);
    expected.update(`\r\n--${boundary}--\r\n`);
    const got = received.at(-1)!;
    assert.equal(got.bytes, form.length);
    assert.ok(got.bytes > SIZE);
    assert.equal(got.sha256, expected.digest('hex'));

    assert.ok(
      growth < RSS_BOUND,
      `resident memory grew by ${(growth / MiB).toFixed(1)} MiB for a ${SIZE / MiB} MiB file (bound ${RSS_BOUND / MiB} MiB)`,
    );
  });
});
