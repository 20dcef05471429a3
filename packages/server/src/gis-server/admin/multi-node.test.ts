/**
 * Two nodes of one GIS server on one PostgreSQL database: token lifetimes set through node A
 * govern the tokens node B issues, and the web server certificate chosen on A is what B serves.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { eventually, servedCertificate } from '../../pki/routes/test-support.ts';
import { startTestGisServer, type TestGisServer } from './test-server.ts';

describe('GIS server admin on two nodes of one PostgreSQL database', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: TestGisServer;
  let b: TestGisServer;
  const fp = (s: string) => s.replace(/:/g, '').toLowerCase();

  before(async () => {
    db = await createPgDatabase();
    a = await startTestGisServer({ databaseUrl: db.url });
    b = await startTestGisServer({ databaseUrl: db.url, sameServerAs: a.home });
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await db?.drop();
  });

  test('timeouts updated on node A apply to the next token node B issues', async () => {
    const r = await a.call('/arcgis/admin/security/tokens/update', {
      tokenManagerConfig: JSON.stringify({
        type: 'BUILTIN',
        properties: { longTimeout: 45, shortTimeout: 15 },
      }),
    });
    assert.deepEqual(r, { status: 'success' });
    assert.deepEqual((await b.call('/arcgis/admin/security/tokens')).tokenManagerConfig.properties, {
      longTimeout: 45,
      shortTimeout: 15,
    });
    const minutesOf = (t: { expires: number }) => Math.round((t.expires - Date.now()) / 60_000);
    const t = await b.call('/arcgis/admin/generateToken', {
      username: 'admin',
      password: readFileSync(join(a.home, 'initial-admin-password'), 'utf8').trim(),
      client: 'requestip',
    });
    assert.equal(minutesOf(t), 15);
  });

  test("the web server certificate chosen on node A is served by node B's new connections", async () => {
    const M = `/arcgis/admin/machines/${a.machine}`;
    assert.equal(
      (await a.call(`${M}/sslcertificates/generate`, { alias: 'shared', commonName: 'localhost' })).status,
      'success',
    );
    const shared = await b.call(`${M}/sslcertificates/shared`);
    assert.equal((await a.call(`${M}/edit`, { webServerCertificateAlias: 'shared' })).status, 'success');
    const served = await eventually(
      5000,
      () => servedCertificate(b.server.httpsPort),
      (x) => fp(x.fingerprint256) === fp(shared.sha256Fingerprint),
    );
    assert.equal(fp(served.fingerprint256), fp(shared.sha256Fingerprint));
  });
});
