import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createRootCa, issueServerCertificate } from '../packages/server/src/pki/local-ca.ts';
import { BenchCaseFailed } from './case-failed.ts';
import { expectClean, load } from './load.ts';

const GOOD = '{"query":"river","total":3,"results":[{"id":"a"}]}';
const ERROR_IN_200 = '{"error":{"code":498,"message":"Invalid token.","details":[]}}';

/** Answers by path: /good, /error (an error in a 200 body, as the Sharing API does), /500. */
async function startServer(): Promise<https.Server> {
  const ca = await createRootCa('Bench test CA');
  const leaf = await issueServerCertificate(ca, ['localhost', '127.0.0.1'], 1);
  const server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    res.writeHead(req.url === '/500' ? 500 : 200, { 'content-type': 'application/json' });
    res.end(req.url === '/error' ? ERROR_IN_200 : GOOD);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('bench load checks every answer', () => {
  let server: https.Server;
  let base: string;
  const verify = (body: string) => /"total":[1-9]/.test(body);
  before(async () => {
    server = await startServer();
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('accepts a case whose every answer is verified', async () => {
    const r = await load({ url: `${base}/good`, verify, seconds: 1, connections: 2 });
    assert.ok(r.requests > 0);
    assert.equal(r.mismatches, 0);
    expectClean('good case', r);
  });

  it('fails the case, by name, when errors come back fast in 200 answers', async () => {
    const r = await load({ url: `${base}/error`, verify, seconds: 1, connections: 2 });
    assert.equal(r.non2xx, 0, 'the server answered 200');
    assert.equal(r.mismatches, r.requests, 'every answer was an error body');
    assert.throws(
      () => expectClean('search as admin', r),
      (err: unknown) =>
        err instanceof BenchCaseFailed &&
        err.caseName === 'search as admin' &&
        /2xx with a wrong body/.test(err.message),
    );
  });

  it('fails one wrong path in a rotating list', async () => {
    const r = await load({ url: base, paths: ['/good', '/error'], verify, seconds: 1, connections: 2 });
    assert.ok(r.mismatches > 0 && r.mismatches < r.requests);
    assert.throws(() => expectClean('mixed', r), BenchCaseFailed);
  });

  it('fails a case answered with HTTP errors, and one that nothing answers', async () => {
    const r = await load({ url: `${base}/500`, verify: () => true, seconds: 1, connections: 2 });
    assert.ok(r.non2xx > 0);
    assert.throws(() => expectClean('http 500', r), /not 2xx/);
    const closed = await load({
      url: 'https://127.0.0.1:1/',
      verify: () => true,
      seconds: 1,
      connections: 1,
    });
    assert.throws(() => expectClean('refused', closed), BenchCaseFailed);
  });
});
