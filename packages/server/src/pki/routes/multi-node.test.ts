import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { type RunningServer, startTlsServer } from '../diagnose/test-servers.ts';
import { generateCertificate } from '../generate-certificate.ts';
import { asIssuer, caHierarchy, leafOptions } from '../test-helpers.ts';
import { eventually, servedCertificate } from './test-support.ts';

describe('two portal nodes on one PostgreSQL database: certificates and trust', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: TestPortal;
  let b: TestPortal;
  let tokenA: string;
  before(async () => {
    db = await createPgDatabase();
    a = await startTestPortal({ databaseUrl: db.url, overrides: { 'outbound.trustPublicRoots': false } });
    b = await startTestPortal({
      databaseUrl: db.url,
      secretsKeyFrom: a.home,
      overrides: { 'outbound.trustPublicRoots': false },
    });
    tokenA = await a.token();
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await db?.drop();
  });

  test('a certificate generated and switched through node A is served by node B within seconds', async () => {
    const BASE = '/portaladmin/security/sslCertificates';
    const gen = await a.call(`${BASE}/generate`, {
      token: tokenA,
      alias: 'shared',
      cn: 'localhost',
      san: 'localhost,127.0.0.1',
      keyAlg: 'EC',
    });
    assert.equal(gen.status, 'success');
    const fp = (await a.call(`${BASE}/shared`, { token: tokenA }, { method: 'GET' })).sha256Fingerprint;
    assert.notEqual((await servedCertificate(b.httpsPort)).fingerprint256, fp);
    assert.equal(
      (await a.call(`${BASE}/update`, { token: tokenA, webServerCertificateAlias: 'shared' })).status,
      'success',
    );
    const t0 = Date.now();
    const served = await eventually(
      5000,
      () => servedCertificate(b.httpsPort),
      (c) => c.fingerprint256 === fp,
    );
    assert.equal(served.fingerprint256, fp, 'node B serves the certificate switched through node A');
    assert.ok(Date.now() - t0 < 5000);
    // Node B's API agrees, and refuses to delete it.
    const tokenB = await b.token();
    assert.equal(
      (await b.call(BASE, { token: tokenB }, { method: 'GET' })).webServerCertificateAlias,
      'shared',
    );
    assert.equal((await b.call(`${BASE}/shared/delete`, { token: tokenB })).errorCode, 'pki.alias_in_use');
  });

  test("a CA imported through node A is trusted by node B's outbound client at once (cached store dropped by NOTIFY)", async () => {
    const { root } = await caHierarchy('TwoNodes');
    const leaf = await generateCertificate(leafOptions({ issuer: asIssuer(root) }));
    const server: RunningServer = await startTlsServer({
      key: leaf.keyPem,
      cert: leaf.certPem + root.certPem,
    });
    try {
      assert.equal((await b.modules.pki.outbound.diagnose(server.url)).code, 'trust.unknown_ca'); // fills B's cache
      const r = await a.call('/portaladmin/security/sslCertificates/importRootOrIntermediate', {
        token: tokenA,
        alias: 'two-nodes-root',
        certificate: root.certPem,
      });
      assert.equal(r.status, 'success');
      const report = await eventually(
        3000,
        () => b.modules.pki.outbound.diagnose(server.url),
        (x) => x.ok,
      );
      assert.equal(report.code, 'ok');
    } finally {
      await server.close();
    }
  });
});
