/**
 * Two nodes of one GIS server on PostgreSQL: a federation made through one node reaches the
 * other through the bus (its tokens verify there at once, and stop verifying when it ends), and
 * an outbox entry is delivered to the portal by exactly one node when both try.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { type FakePortal, startFakePortal, startTestServer, type TestServer } from './test-federation.ts';

async function eventually(check: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('federation across two nodes of one server (PostgreSQL)', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: TestServer;
  let b: TestServer;
  let portal: FakePortal;

  before(async () => {
    pg = await createPgDatabase();
    portal = await startFakePortal();
    a = await startTestServer({ databaseUrl: pg.url });
    b = await startTestServer({ databaseUrl: pg.url, sameServerAs: a.home });
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await portal?.close();
    await pg?.drop();
  });

  test('federated through node A, node B verifies the portal tokens; unfederated, it refuses them', async () => {
    const answer = await a.call('/arcgis/admin/security/config/update', {
      token: a.adminToken,
      authenticationTier: 'ARCGIS_PORTAL',
      portalProperties: portal.properties(),
    });
    assert.equal(answer.status, 'success');
    // Both nodes serve one server; a token names the URL the portal federated (node A's here).
    const tokenFor = (s: TestServer) => portal.token({ aud: s.root, role: 'admin' });
    await eventually(
      async () => Boolean((await b.call('/arcgis/admin', { token: tokenFor(b) })).resources),
      'node B accepts the portal token',
    );
    assert.equal((await b.call('/arcgis/rest/info')).owningSystemUrl, portal.url);
    await a.call('/arcgis/admin/security/config/update', {
      token: a.adminToken,
      authenticationTier: 'GIS_SERVER',
      portalProperties: '{}',
    });
    await eventually(
      async () => (await b.call('/arcgis/admin', { token: tokenFor(b) })).code === 498,
      'node B refuses the portal token',
    );
  });

  test('an outbox entry is delivered by one node only, however many try', async () => {
    await a.call('/arcgis/admin/security/config/update', {
      token: a.adminToken,
      authenticationTier: 'ARCGIS_PORTAL',
      portalProperties: portal.properties(),
    });
    await eventually(async () => b.server.modules['gis-server'].federation.status().federated, 'B federated');
    const stored: string[] = [];
    for (const s of [a, b])
      s.server.modules['gis-server'].federation.usePortalItems({
        async setPortalItem(_service, itemId) {
          stored.push(itemId);
        },
      });
    portal.failWith = 503;
    await a.server.modules['gis-server'].federation.hooks.afterCreate({
      folder: 'Hydro',
      name: 'Rivers',
      type: 'FeatureServer',
    });
    assert.equal((await b.server.modules['gis-server'].federation.pending()).length, 1, 'durable, seen by B');
    portal.failWith = undefined;
    await a.server.kernel.db.kysely.updateTable('gis_federation_outbox').set({ next_attempt: 0 }).execute();
    const before = portal.calls.filter((c) => c.op === 'registerService').length;
    await Promise.all([
      a.server.modules['gis-server'].federation.deliverDue(),
      b.server.modules['gis-server'].federation.deliverDue(),
      a.server.modules['gis-server'].federation.deliverDue(),
      b.server.modules['gis-server'].federation.deliverDue(),
    ]);
    const registered = portal.calls.filter((c) => c.op === 'registerService');
    assert.equal(registered.length - before, 1, 'one registerService call');
    assert.ok(registered.at(-1)!.credentialOk);
    assert.equal(stored.length, 1);
    assert.deepEqual(await a.server.modules['gis-server'].federation.pending(), []);
  });
});
