import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningServer, startHttpsServer } from '../../pki/diagnose/test-servers.ts';
import { generateCertificate } from '../../pki/generate-certificate.ts';
import { createRootCa, type KeyAndCert } from '../../pki/local-ca.ts';
import { leafOptions } from '../../pki/test-helpers.ts';
import type { MeridianError } from '../errors/meridian-error.ts';
import { createOutboundClient, type OutboundClientOptions } from './guarded-client.ts';

const MiB = 1024 * 1024;
const BIG = 60 * MiB;

/** Deterministic body bytes, so that both ends can hash what passed. */
const PATTERN = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => i % 251));

interface Sent {
  /** Bytes the server handed to its socket so far. */
  bytes: number;
  /** SHA-256 of those bytes, once the server stopped writing. */
  hash: Promise<string>;
}

/** Writes up to `stopAt` bytes honouring backpressure (it waits for 'drain'), then ends if asked. */
function sendBody(res: ServerResponse, sent: Sent, stopAt: number, end: boolean): void {
  sent.hash = (async () => {
    const hash = createHash('sha256');
    while (sent.bytes < stopAt && !res.destroyed) {
      const chunk = PATTERN.subarray(0, Math.min(PATTERN.length, stopAt - sent.bytes));
      hash.update(chunk);
      sent.bytes += chunk.length;
      if (!res.write(chunk))
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
    }
    if (end) res.end();
    return hash.digest('hex');
  })();
}

const failsWith = (body: Readable, code: string, message?: RegExp) =>
  assert.rejects(
    (async () => {
      for await (const _ of body);
    })(),
    (err: MeridianError) => {
      assert.equal(err.code, code, err.message);
      if (message) assert.match(err.message, message);
      return true;
    },
  );

describe('guarded outbound client: streaming mode (real HTTPS servers on 127.0.0.1)', () => {
  let ca: KeyAndCert;
  let server: RunningServer;
  const sent: Sent = { bytes: 0, hash: Promise.resolve('') };
  const client = (extra: Partial<OutboundClientOptions> = {}) =>
    createOutboundClient({
      trustAnchors: () => [ca.certPem],
      includePublicRoots: false,
      allowLoopback: true,
      allowPrivate: false,
      ...extra,
    });
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/big': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      sendBody(res, sent, BIG, true);
    },
    '/declared-big': (_req, res) => {
      res.writeHead(200, { 'content-length': String(BIG) });
      sendBody(res, sent, BIG, true);
    },
    // 1 MiB, then silence: the connection stays open.
    '/stall': (_req, res) => {
      res.writeHead(200);
      sendBody(res, sent, MiB, false);
    },
    // The request is read, and no answer ever comes.
    '/no-headers': () => {},
    // Announces 10 MiB, sends 1 MiB, then the connection drops.
    '/cut-declared': (_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * MiB) });
      sendBody(res, sent, MiB, false);
      void sent.hash.then(() => setTimeout(() => res.socket?.destroy(), 50));
    },
    // Chunked, 1 MiB, then the connection drops without the last chunk.
    '/cut-chunked': (_req, res) => {
      res.writeHead(200);
      sendBody(res, sent, MiB, false);
      void sent.hash.then(() => setTimeout(() => res.socket?.destroy(), 50));
    },
    '/redirect': (_req, res) => {
      res.writeHead(302, { location: '/small' }).end();
    },
    '/small': (_req, res) => {
      res.end('a small document');
    },
  };
  before(async () => {
    ca = await createRootCa('Stream Test CA');
    const leaf = await generateCertificate(leafOptions({ issuer: ca }));
    server = await startHttpsServer({ key: leaf.keyPem, cert: leaf.certPem + ca.certPem }, (req, res) => {
      sent.bytes = 0;
      routes[req.url ?? '']?.(req, res);
    });
  });
  after(() => server.close());

  test('60 MB stream through while the client holds only a few: peak buffered bytes stay bounded', async () => {
    const s = await client().stream(`${server.url}big`);
    assert.equal(s.status, 200);
    assert.equal(s.address, '127.0.0.1');
    let received = 0;
    // Bytes the server wrote that the reader has not had yet: everything in between (the
    // client's stream buffers, TLS, both kernels' socket buffers). Were the body buffered
    // whole, the server would run ahead by up to the whole 60 MB while the reader pauses.
    let peakInFlight = 0;
    let peakQueued = 0;
    const hash = createHash('sha256');
    let nextPause = MiB;
    for await (const chunk of s.body) {
      received += (chunk as Buffer).length;
      hash.update(chunk as Buffer);
      peakInFlight = Math.max(peakInFlight, sent.bytes - received);
      if (received >= nextPause) {
        // A slow reader: the server may write only as far as backpressure lets it.
        nextPause += 6 * MiB;
        await sleep(150);
        peakInFlight = Math.max(peakInFlight, sent.bytes - received);
        peakQueued = Math.max(peakQueued, s.body.readableLength);
      }
    }
    assert.equal(received, BIG);
    assert.equal(hash.digest('hex'), await sent.hash, 'every byte arrives, in order');
    assert.ok(peakInFlight < 16 * MiB, `at most 16 MiB between server and reader, saw ${peakInFlight}`);
    assert.ok(
      peakQueued <= 256 * 1024,
      `the body stream queues at most its high-water mark, saw ${peakQueued}`,
    );
  });

  test('the byte limit is enforced while streaming: the stream fails once it passes, and the transfer stops', async () => {
    const s = await client({ streamMaxBytes: 5 * MiB }).stream(`${server.url}big`);
    let received = 0;
    s.body.on('data', (c: Buffer) => (received += c.length));
    await failsWith(s.body, 'outbound.response_too_large', /larger than 5242880 bytes/);
    assert.ok(received <= 5 * MiB, `the reader never gets more than the limit (${received})`);
    await sent.hash;
    assert.ok(sent.bytes < BIG / 2, `the server was cut off (${sent.bytes} bytes written)`);
  });

  test('an answer that announces more than the limit is refused before its body is read', async () => {
    await assert.rejects(
      client().stream(`${server.url}declared-big`, { maxBytes: 10 * MiB }),
      (err: MeridianError) => err.code === 'outbound.response_too_large',
    );
  });

  test('a server that falls silent mid-body: the idle timeout fails the stream', async () => {
    const s = await client({ idleTimeoutMs: 400 }).stream(`${server.url}stall`);
    await failsWith(
      s.body,
      'net.timeout',
      /sent nothing for 400 ms in the middle of its answer \(1048576 bytes received\)/,
    );
  });

  test('a server that never answers the request: the idle timeout bounds the wait for headers', async () => {
    await assert.rejects(
      client().stream(`${server.url}no-headers`, { idleTimeoutMs: 400 }),
      (err: MeridianError) => {
        assert.equal(err.code, 'net.timeout', err.message);
        return true;
      },
    );
  });

  test('a whole-transfer time limit applies as well', async () => {
    const s = await client({ streamTimeoutMs: 600, idleTimeoutMs: 10_000 }).stream(`${server.url}stall`);
    await failsWith(s.body, 'net.timeout', /did not send its whole answer in time/);
  });

  test('a server that closes mid-body: outbound.response_incomplete, with a length or without', async () => {
    const declared = await client().stream(`${server.url}cut-declared`);
    await failsWith(
      declared.body,
      'outbound.response_incomplete',
      /closed the connection after 1048576 bytes of the 10485760 it announced/,
    );
    const chunked = await client().stream(`${server.url}cut-chunked`);
    await failsWith(chunked.body, 'outbound.response_incomplete', /after 1048576 bytes, before the end/);
  });

  test('same address policy, trust store and redirects as request()', async () => {
    await assert.rejects(
      client({ allowLoopback: false }).stream(`${server.url}small`),
      (err: MeridianError) => err.code === 'outbound.address_denied',
    );
    await assert.rejects(
      client({ trustAnchors: () => [] }).stream(`${server.url}small`),
      (err: MeridianError) => err.code === 'outbound.certificate_rejected',
    );
    const s = await client().stream(`${server.url}redirect`);
    assert.equal(s.url, `${server.url}small`);
    let text = '';
    for await (const c of s.body) text += c;
    assert.equal(text, 'a small document');
  });
});
