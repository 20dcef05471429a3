/**
 * The servers module on PostgreSQL, with two portal nodes on one database (one public URL, as
 * behind a load balancer) and a real GIS server, all in this process: a server federated
 * through node A gets server tokens from node B (its shared secret reloaded on B through the
 * bus, though B had read the empty list before), B's web UI policy (connect-src) and
 * portals/self/servers name it, B validates it (the trust entry made on A serves B too), and
 * unfederating through B ends it on A.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../test/pg-databases.ts';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../../test/portal.ts';
import { type GisServerUnderTest, type Json, startGis } from './publish/test-publish.ts';
import { eventually, federate } from './test-federated.ts';

describe('federated servers on PostgreSQL: two portal nodes on one database', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: TestPortal;
  let b: TestPortal;
  let gis: GisServerUnderTest;
  let tokenA: string;
  let tokenB: string;
  let serverId: string;

  /** A node's own address (both answer to one public URL, A's, which portal.url names). */
  const at = (node: TestPortal, path: string) => `https://localhost:${node.httpsPort}${path}`;
  const serverTokenFrom = (node: TestPortal, token: string): Promise<Json> =>
    node.call(at(node, '/sharing/rest/generateToken'), { token, serverUrl: gis.root, expiration: 30 });
  const connectSrc = async (node: TestPortal) => {
    const res = await node.fetch(at(node, '/home/'));
    await res.arrayBuffer();
    const csp = res.headers.get('content-security-policy') ?? '';
    return csp.split(';').find((d) => d.trim().startsWith('connect-src')) ?? '';
  };
  const listed = async (node: TestPortal, token: string) =>
    (await node.call(at(node, '/sharing/rest/portals/self/servers'), { token }, { method: 'GET' }))
      .servers as Json[];

  before(async () => {
    db = await createPgDatabase();
    [a, gis] = await Promise.all([startTestPortal({ databaseUrl: db.url }), startGis()]);
    b = await startTestPortal({
      databaseUrl: db.url,
      secretsKeyFrom: a.home,
      overrides: { publicUrl: a.url },
    });
    tokenA = await a.token();
    const signedIn = await b.call(at(b, '/sharing/rest/generateToken'), {
      username: 'admin',
      password: ADMIN_PASSWORD,
      client: 'requestip',
    });
    assert.ok(signedIn.token, JSON.stringify(signedIn));
    tokenB = signedIn.token;
  });
  after(async () => {
    await gis?.close();
    await b?.close();
    await a?.close();
    await db?.drop();
  });

  test('before: node B knows no server (and has read its empty list)', async () => {
    const refused = await serverTokenFrom(b, tokenB);
    assert.equal(refused.error?.code, 400, JSON.stringify(refused));
    assert.match(refused.error.message, /is not a server federated with this portal/);
    assert.equal((await connectSrc(b)).trim(), "connect-src 'self'");
    assert.deepEqual(await listed(b, tokenB), []);
    assert.deepEqual(await b.modules.servers.origins(), []);
  });

  test('federated through node A: node B mints server tokens the server accepts, and lists it', async () => {
    serverId = await federate(a, gis, tokenA);
    const fromB = await eventually(
      () => serverTokenFrom(b, tokenB),
      (t) => typeof t.token === 'string',
      5000,
    );
    assert.ok(fromB.token?.startsWith(`v1.fs${serverId}.`), JSON.stringify(fromB));
    const asServer = await gis.get('/arcgis/admin/security/config', { token: fromB.token });
    assert.equal(asServer.authenticationTier, 'ARCGIS_PORTAL', JSON.stringify(asServer));
    assert.equal(asServer.portalProperties.portalUrl, a.url);
    const origin = new URL(gis.root).origin;
    assert.match(await connectSrc(b), new RegExp(`connect-src 'self' ${origin}(;|$)`));
    assert.deepEqual(await b.modules.servers.origins(), [origin]);
    const servers = await listed(b, tokenB);
    assert.deepEqual(
      servers.map((s) => [s.id, s.url, s.serverRole]),
      [[serverId, gis.root, 'HOSTING_SERVER']],
    );
  });

  test('node B validates it (the trust entry made through A serves B); its role changed on B is seen on A', async () => {
    const v = await b.call(at(b, `/portaladmin/federation/servers/${serverId}/validate`), { token: tokenB });
    assert.equal(v.status, 'success', JSON.stringify(v));
    const changed = await b.call(at(b, `/portaladmin/federation/servers/${serverId}/update`), {
      token: tokenB,
      serverRole: 'FEDERATED_SERVER',
    });
    assert.equal(changed.status, 'success', JSON.stringify(changed));
    assert.equal((await listed(a, tokenA))[0].serverRole, 'FEDERATED_SERVER');
    const fromA = await serverTokenFrom(a, tokenA);
    assert.equal(
      (await gis.get('/arcgis/admin/security/config', { token: fromA.token })).authenticationTier,
      'ARCGIS_PORTAL',
    );
  });

  test('unfederated through node B: node A mints no more server tokens and drops the origin', async () => {
    const r = await b.call(at(b, `/portaladmin/federation/servers/${serverId}/unfederate`), {
      token: tokenB,
    });
    assert.equal(r.status, 'success', JSON.stringify(r));
    const refused = await eventually(
      () => serverTokenFrom(a, tokenA),
      (t) => t.error?.code === 400,
      5000,
    );
    assert.equal(refused.error?.code, 400, JSON.stringify(refused));
    assert.equal((await connectSrc(a)).trim(), "connect-src 'self'");
    assert.deepEqual(await listed(a, tokenA), []);
    assert.equal((await gis.get('/arcgis/rest/info')).owningSystemUrl, undefined, 'the server is standalone');
  });
});
