import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from 'undici';
import { createPgDatabase } from '../../test/pg-databases.ts';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { DEFAULT_WEB_ALIAS } from '../pki/module.ts';
import { handshake } from './test-handshake.ts';

describe('web server certificate: live swap, renewal, shared tickets', () => {
  let portal: TestPortal;
  before(async () => {
    portal = await startTestPortal();
  });
  after(() => portal.close());

  test('serves the local-CA certificate for localhost, 127.0.0.1, ::1 and the host name', async () => {
    const { serial } = await handshake(portal.httpsPort, portal.caCertPem);
    assert.ok(serial);
    const leaf = new X509Certificate(portal.modules.tls.web.certificate!.certChainPem);
    for (const name of ['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1']) {
      assert.ok(leaf.subjectAltName?.includes(name), `${name} in ${leaf.subjectAltName}`);
    }
    assert.equal(leaf.checkIssued(new X509Certificate(portal.caCertPem)), true);
  });

  test('repeated swaps while requests flow: zero failed requests, new connections see the new certificate', async () => {
    // Two kinds of traffic: keep-alive requests, and a new TLS connection per request.
    const keepAlive = new Agent({ connect: { ca: portal.caCertPem }, pipelining: 1 });
    const fresh = () => new Agent({ connect: { ca: portal.caCertPem }, keepAliveTimeout: 1, pipelining: 0 });
    let ok = 0;
    const failures: string[] = [];
    let running = true;
    const worker = async (dispatcherFor: () => Agent) => {
      while (running) {
        const d = dispatcherFor();
        try {
          const r = await request(`${portal.url}/sharing/rest/info?f=json`, { dispatcher: d });
          const body = (await r.body.json()) as { authInfo?: unknown };
          if (r.statusCode === 200 && body.authInfo) ok++;
          else failures.push(`HTTP ${r.statusCode}`);
        } catch (err) {
          failures.push((err as Error).message);
        } finally {
          if (d !== keepAlive) await d.close();
        }
      }
    };
    const workers = [worker(() => keepAlive), worker(() => keepAlive), worker(fresh), worker(fresh)];
    const serials = new Set<string>();
    for (let i = 0; i < 8; i++) {
      await portal.modules.pki.issueFromLocalCa(DEFAULT_WEB_ALIAS, portal.modules.pki.webServerNames());
      await portal.kernel.bus.publish('pki.certificate', { alias: DEFAULT_WEB_ALIAS });
      await new Promise((r) => setTimeout(r, 150));
      serials.add((await handshake(portal.httpsPort, portal.caCertPem)).serial);
    }
    running = false;
    await Promise.all(workers);
    await keepAlive.close();
    assert.deepEqual(failures, []);
    assert.ok(ok > 50, `requests completed: ${ok}`);
    assert.equal(serials.size, 8, 'every swap is served to new connections');
  });

  test('a reload asked for while one runs runs again after it, and sees the change', async () => {
    const web = portal.modules.tls.web;
    const running = web.reload();
    await portal.modules.pki.issueFromLocalCa(DEFAULT_WEB_ALIAS, portal.modules.pki.webServerNames());
    await web.reload();
    await running;
    const stored = await portal.modules.pki.loadCertificate(DEFAULT_WEB_ALIAS);
    assert.equal(web.certificate?.certChainPem, stored?.certChainPem);
    const served = await handshake(portal.httpsPort, portal.caCertPem);
    assert.equal(served.serial, new X509Certificate(stored!.certChainPem).serialNumber);
  });

  test('a local-CA certificate is renewed before it expires, without a restart', async () => {
    const before = portal.modules.tls.web.certificate!;
    assert.equal(await portal.modules.tls.web.renewIfDue(Date.now()), false);
    const renewed = await portal.modules.tls.web.renewIfDue(before.notAfter - 86_400_000);
    assert.equal(renewed, true);
    const after = portal.modules.tls.web.certificate!;
    assert.notEqual(after.certChainPem, before.certChainPem);
    const served = await handshake(portal.httpsPort, portal.caCertPem);
    assert.equal(served.serial, new X509Certificate(after.certChainPem).serialNumber);
  });
});

describe('two nodes on one PostgreSQL database', () => {
  test('a certificate change on one node reaches the other; sessions resume across nodes', async () => {
    const pg = await createPgDatabase();
    const a = await startTestPortal({ databaseUrl: pg.url });
    const b = await startTestPortal({ databaseUrl: pg.url, secretsKeyFrom: a.home });
    try {
      assert.equal(a.caCertPem, b.caCertPem, 'one CA for the portal');
      const first = await handshake(a.httpsPort, a.caCertPem);
      const resumed = await handshake(b.httpsPort, a.caCertPem, { session: first.session });
      assert.equal(resumed.reused, true, 'a session from node A resumes on node B');

      await a.modules.pki.issueFromLocalCa(DEFAULT_WEB_ALIAS, a.modules.pki.webServerNames());
      await a.kernel.bus.publish('pki.certificate', { alias: DEFAULT_WEB_ALIAS });
      // The stored certificate: node A's own reload of it may not have happened yet.
      const stored = await a.modules.pki.loadCertificate(DEFAULT_WEB_ALIAS);
      const expected = new X509Certificate(stored!.certChainPem).serialNumber;
      const deadline = Date.now() + 5000;
      let seen = '';
      while (Date.now() < deadline) {
        seen = (await handshake(b.httpsPort, b.caCertPem)).serial;
        if (seen === expected) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(seen, expected, 'node B serves the certificate installed through node A');
    } finally {
      await b.close();
      await a.close();
      await pg.drop();
    }
  });
});
