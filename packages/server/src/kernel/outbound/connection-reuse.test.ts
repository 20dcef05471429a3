import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { generateCertificate } from '../../pki/generate-certificate.ts';
import { createRootCa, type KeyAndCert } from '../../pki/local-ca.ts';
import { leafOptions } from '../../pki/test-helpers.ts';
import type { MeridianError } from '../errors/meridian-error.ts';
import { createOutboundConnections } from './connection-pool.ts';
import { createOutboundClient, type OutboundClientOptions } from './guarded-client.ts';
import type { PinnedRequestOptions } from './pinned-agent.ts';

/** An HTTPS server on `host` that counts what the client costs it: TCP connections, TLS handshakes, requests. */
async function countingServer(
  tls: { key: string; cert: string },
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  host = '127.0.0.1',
) {
  const counts = { connections: 0, handshakes: 0, resumed: 0, requests: 0, open: 0 };
  const sockets = new Set<Socket>();
  const server = createServer(tls, (req, res) => {
    counts.requests++;
    handler(req, res);
  });
  server.on('connection', (s: Socket) => {
    counts.connections++;
    counts.open++;
    sockets.add(s);
    s.on('close', () => {
      counts.open--;
      sockets.delete(s);
    });
  });
  server.on('secureConnection', (s: TLSSocket) => {
    counts.handshakes++;
    if (s.isSessionReused()) counts.resumed++;
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((done) => server.listen(0, host, done));
  const port = (server.address() as AddressInfo).port;
  return {
    counts,
    port,
    server,
    url: `https://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}

const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), what);
};

const MB = 1024 * 1024;

describe('outbound connections: one secure context per trust store, kept-alive connections pinned to their address', () => {
  let ca: KeyAndCert;
  let other: KeyAndCert;
  let tls: { key: string; cert: string };
  const servers: { close(): Promise<void> }[] = [];
  const client = (extra: Partial<OutboundClientOptions> = {}) =>
    createOutboundClient({
      trustAnchors: () => [ca.certPem],
      allowLoopback: true,
      allowPrivate: false,
      ...extra,
    });
  const serve = async (...args: Parameters<typeof countingServer>) => {
    const s = await countingServer(...args);
    servers.push(s);
    return s;
  };

  before(async () => {
    ca = await createRootCa('Reuse Test CA');
    other = await createRootCa('Reuse Other CA');
    const leaf = await generateCertificate(leafOptions({ issuer: ca }));
    tls = { key: leaf.keyPem, cert: leaf.certPem + ca.certPem };
  });
  after(async () => {
    for (const s of servers) await s.close();
  });

  test('2,000 sequential requests (public roots trusted too): one secure context, one connection and handshake, memory bounded', async (t) => {
    const s = await serve(tls, (_q, r) => r.end('{"ok":true}'));
    const connections = createOutboundConnections();
    const c = client({ connections });
    await c.request(s.url);
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    for (let i = 0; i < 2000; i++) assert.equal((await c.request(s.url)).status, 200);
    const perRequest = (performance.now() - started) / 2000;
    const grown = (process.memoryUsage().rss - rss) / MB;
    t.diagnostic(`${perRequest.toFixed(3)} ms/request, RSS +${grown.toFixed(0)} MB`);
    // A context with the public roots per request grew RSS by ~1.2 GB over 2,000 requests (~10 ms each).
    assert.ok(grown < 150, `RSS grew ${grown.toFixed(0)} MB over 2,000 requests`);
    assert.equal(s.counts.requests, 2001);
    assert.equal(s.counts.connections, 1, 'one TCP connection, kept alive');
    assert.equal(s.counts.handshakes, 1, 'one TLS handshake');
    assert.equal(connections.stats().contextsBuilt, 1);
  });

  test('the server swaps to a certificate from a CA the client does not trust: the next connection sees it and is refused (no TLS session resumed past the swap)', async () => {
    const s = await serve(tls, (_q, r) => r.writeHead(200, { connection: 'close' }).end('ok'));
    const c = client({ connections: createOutboundConnections() });
    for (let i = 0; i < 3; i++) assert.equal((await c.request(s.url)).text(), 'ok');
    const stranger = await generateCertificate(leafOptions({ issuer: other }));
    // What a portal or GIS server does on a certificate change: the same listener, its session tickets kept.
    s.server.setSecureContext({ key: stranger.keyPem, cert: stranger.certPem + other.certPem });
    const refused = await c.request(s.url).then(
      () => undefined,
      (err: MeridianError) => err,
    );
    assert.ok(
      refused,
      'a resumed TLS session must not carry the old certificate’s verification past the swap',
    );
    assert.match(refused.code, /^(tls|outbound)\./, refused.message);
    assert.equal(s.counts.resumed, 0, 'no session was resumed');
  });

  test('a kept-alive connection is reused only up to its maximum age, then a new one verifies the peer again', async () => {
    const s = await serve(tls, (_q, r) => r.end('ok'));
    const c = client({ connections: createOutboundConnections({ maxAgeMs: 150 }) });
    for (let i = 0; i < 3; i++) assert.equal((await c.request(s.url)).text(), 'ok');
    assert.equal(s.counts.connections, 1, 'reused while young');
    await new Promise((r) => setTimeout(r, 250));
    assert.equal((await c.request(s.url)).text(), 'ok');
    assert.equal((await c.request(s.url)).text(), 'ok');
    assert.equal(s.counts.connections, 2, 'a new connection once the first was too old');
  });

  test('a server that closes every connection: a new connection per request (each verified in full), still one secure context', async (t) => {
    const s = await serve(tls, (_q, r) => r.writeHead(200, { connection: 'close' }).end('ok'));
    const connections = createOutboundConnections();
    const c = client({ connections });
    const rss = process.memoryUsage().rss;
    for (let i = 0; i < 1000; i++) assert.equal((await c.request(s.url)).text(), 'ok');
    const grown = (process.memoryUsage().rss - rss) / MB;
    t.diagnostic(`RSS +${grown.toFixed(0)} MB`);
    assert.ok(grown < 150, `RSS grew ${grown.toFixed(0)} MB over 1,000 connections`);
    assert.equal(s.counts.connections, 1000);
    assert.equal(connections.stats().contextsBuilt, 1);
    assert.equal(s.counts.resumed, 0, 'every connection verifies the certificate the server presents now');
  });

  test('a CA removed from the trust store: the very next request is refused, the kept-alive connection is not used and is closed; added back, it works', async () => {
    const s = await serve(tls, (_q, r) => r.end('ok'));
    let store: readonly string[] = [ca.certPem, other.certPem];
    const connections = createOutboundConnections();
    const c = client({ trustAnchors: () => store, includePublicRoots: false, connections });
    assert.equal((await c.request(s.url)).text(), 'ok');
    assert.equal((await c.request(s.url)).text(), 'ok');
    assert.equal(s.counts.handshakes, 1);
    assert.equal(connections.stats().idleSockets, 1);

    store = [other.certPem];
    await assert.rejects(c.request(s.url), (err: MeridianError) => {
      assert.equal(err.code, 'outbound.certificate_rejected', err.message);
      return true;
    });
    assert.equal(
      s.counts.requests,
      2,
      'nothing was sent over the connection verified with the old trust store',
    );
    await until('the connection made under the old trust store is closed', () => s.counts.open === 0);
    assert.equal(connections.stats().trustVersion, 2);

    store = [other.certPem, ca.certPem];
    assert.equal((await c.request(s.url)).text(), 'ok');
    assert.equal(s.counts.requests, 3);
    assert.equal(connections.stats().trustVersion, 3);
    assert.equal(connections.stats().contextsBuilt, 3);

    // The same entries read again (the trust store's cache reloads them as new strings): no new context.
    store = [`${other.certPem}`, `${ca.certPem}`];
    assert.equal((await c.request(s.url)).text(), 'ok');
    assert.equal(connections.stats().contextsBuilt, 3);
    assert.equal(s.counts.connections, 3, 'the connection made with the current trust store is kept alive');
  });

  test('clients sharing one set of connections (the pki module: client(overrides)) share the context and the connection', async () => {
    const s = await serve(tls, (_q, r) => r.end('ok'));
    const connections = createOutboundConnections();
    const anchors = () => [ca.certPem];
    for (let i = 0; i < 20; i++) {
      const c = client({ trustAnchors: anchors, connections, maxBytes: 1000 + i });
      assert.equal((await c.request(s.url)).text(), 'ok');
    }
    assert.equal(s.counts.connections, 1);
    assert.equal(connections.stats().contextsBuilt, 1);
  });

  test('a connection is reused only for the address it was made to: the same host name pinned to another address gets its own', async () => {
    const s = await serve(tls, (q, r) => r.end(q.socket.localAddress), '0.0.0.0');
    const connections = createOutboundConnections();
    const { context, agent } = connections.forTrust([ca.certPem], false);
    const get = (pinnedAddress: string) =>
      new Promise<string>((resolve, reject) => {
        const options: PinnedRequestOptions = {
          host: 'localhost',
          port: s.port,
          agent,
          secureContext: context,
          servername: 'localhost',
          pinnedAddress,
          lookup: (_h, o, cb) =>
            (o as { all?: boolean }).all
              ? (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [
                  { address: pinnedAddress, family: 4 },
                ])
              : (cb as (e: null, a: string, f: number) => void)(null, pinnedAddress, 4),
        };
        httpsRequest(options, (res) => {
          let text = '';
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
    assert.equal(await get('127.0.0.1'), '127.0.0.1');
    assert.equal(await get('127.0.0.2'), '127.0.0.2', 'not the connection to 127.0.0.1');
    assert.equal(await get('127.0.0.1'), '127.0.0.1');
    assert.equal(await get('127.0.0.2'), '127.0.0.2');
    assert.equal(s.counts.connections, 2);
    assert.throws(() => agent.getName({ host: 'localhost', port: s.port }), /pinnedAddress/);
  });

  test('a kept-alive connection the server dropped: a GET is sent again on a new connection, a POST is not sent twice', async () => {
    // Answers the first request of each connection and drops the connection on the second.
    const served = new WeakSet<Socket>();
    const s = await serve(tls, (q, r) => {
      if (served.has(q.socket)) return void q.socket.destroy();
      served.add(q.socket);
      r.end(q.method);
    });
    const c = client();
    assert.equal((await c.request(s.url)).text(), 'GET');
    assert.equal((await c.request(s.url)).text(), 'GET', 'dropped, then sent on a new connection');
    assert.equal(s.counts.connections, 2);
    assert.equal(s.counts.requests, 3);
    assert.equal((await c.request(s.url)).text(), 'GET'); // a new kept-alive connection
    await assert.rejects(c.request(s.url, { method: 'POST', body: 'x=1' }), (err: MeridianError) => {
      assert.equal(err.code, 'net.error', err.message);
      assert.match(
        err.message,
        /closed the kept-alive connection before answering .*POST request is not sent again/,
      );
      return true;
    });
    assert.equal(s.counts.requests, 5, 'the POST was not sent again');
    assert.equal((await c.request(s.url, { method: 'POST', body: 'x=1' })).text(), 'POST');
    assert.equal(s.counts.connections, 4);
  });

  test('close() (the node stops) closes the idle connections; requests still work, on connections not kept', async () => {
    const s = await serve(tls, (_q, r) => r.end('ok'));
    const connections = createOutboundConnections();
    const c = client({ connections });
    await c.request(s.url);
    assert.equal(s.counts.open, 1);
    connections.close();
    await until('the idle connection is closed', () => s.counts.open === 0);
    assert.equal((await c.request(s.url)).text(), 'ok');
    await until('the connection is not kept', () => s.counts.open === 0);
    assert.equal(connections.stats().contextsBuilt, 1);
  });

  test('an idle connection is closed after the idle timeout', async () => {
    const s = await serve(tls, (_q, r) => r.end('ok'));
    const c = client({ connections: createOutboundConnections({ idleTimeoutMs: 200 }) });
    await c.request(s.url);
    assert.equal(s.counts.open, 1);
    await until('closed after 200 ms idle', () => s.counts.open === 0);
  });
});
