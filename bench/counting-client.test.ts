import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import { createRootCa, issueServerCertificate } from '../packages/server/src/pki/local-ca.ts';
import { startCounting } from './counting-client.ts';

/**
 * Answers by path: /good, /wrong (a 200 with another body), /busy (503 with an error body, as
 * a node without its database), /close (the connection is closed before any answer, as when a
 * node dies with the request in flight).
 */
async function startServer(): Promise<{ server: https.Server; caPem: string }> {
  const ca = await createRootCa('Counting client test CA');
  const leaf = await issueServerCertificate(ca, ['localhost', '127.0.0.1'], 1);
  const server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    if (req.url === '/close') return req.socket.destroy();
    if (req.url === '/busy') {
      res.writeHead(503, { 'content-type': 'application/json' });
      return res.end('{"error":{"code":503,"message":"The database is unavailable.","details":[]}}');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url === '/wrong' ? '{"other":1}' : '{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, caPem: ca.certPem };
}

describe('the counting client accounts for every request', () => {
  let server: https.Server;
  let caPem: string;
  let base: string;
  before(async () => {
    ({ server, caPem } = await startServer());
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('counts a closed connection, a 503 and a wrong body as failures of their kind', async () => {
    const dispatcher = new Agent({ connect: { ca: caPem } });
    const load = startCounting({
      base,
      dispatcher,
      paths: ['/good', '/close', '/good', '/busy', '/wrong'],
      verify: (body) => body === '{"ok":true}',
      concurrency: 4,
    });
    await sleep(500);
    const r = await load.stop();
    await dispatcher.close();
    assert.ok(r.sent > 20, `${r.sent} sent`);
    assert.equal(r.outcomes.length, r.sent, 'every request sent has an outcome');
    assert.equal(r.ok + r.failedTotal, r.sent);
    const byPath = (path: string) => new Set(r.outcomes.filter((o) => o.path === path).map((o) => o.kind));
    assert.deepEqual(byPath('/good'), new Set(['ok']));
    assert.deepEqual(byPath('/busy'), new Set(['http 503 (error body)']));
    assert.deepEqual(byPath('/wrong'), new Set(['http 200 (wrong body)']));
    const closed = [...byPath('/close')];
    assert.ok(closed.length > 0 && closed.every((k) => k.startsWith('no answer (')), closed.join(', '));
    const noAnswer = Object.entries(r.failed).filter(([k]) => k.startsWith('no answer ('));
    assert.equal(
      noAnswer.reduce((n, [, count]) => n + count, 0),
      r.outcomes.filter((o) => o.path === '/close').length,
      'each closed connection is one failed request',
    );
  });
});
