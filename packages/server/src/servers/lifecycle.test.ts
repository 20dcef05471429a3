/**
 * The life of a federated service, with a real portal and a real GIS server in this process
 * (each its own data directory and CA): deleting the Feature Service item on the portal deletes
 * the service on the server, also when the server is down at that moment (the item goes at once;
 * the portal's queue delivers the deletion once the server is back); deleting the service on
 * the server deletes the item, also when the portal is down (the server's outbox delivers it
 * once the portal is back); and when both sides delete, neither queue is left retrying.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestPortal } from '../../test/portal.ts';
import { type GisServerUnderTest, type Json, startGis } from './publish/test-publish.ts';
import { callServer, createService, eventually, federate, portalAt, serverToken } from './test-federated.ts';

describe('a federated service and its item: deleting either deletes the other', () => {
  let home: string;
  let portal: TestPortal;
  let gis: GisServerUnderTest;
  let token: string;

  const fed = () => gis.server.modules['gis-server'].federation;
  const servers = () => portal.modules.servers;
  /** The service's item on the portal (registered by the server's outbox), by its URL. */
  const itemOf = async (url: string): Promise<string | undefined> => {
    const r = await portal.call(
      '/sharing/rest/search',
      { q: 'owner:admin', num: 100, token },
      { method: 'GET' },
    );
    return (r.results as Json[]).find((i) => i.url === url)?.id;
  };
  const newService = async (name: string) => {
    const url = await createService(gis, await serverToken(portal, gis, token), name);
    const itemId = await eventually(
      () => itemOf(url),
      (id) => id !== undefined,
    );
    assert.ok(itemId, `the server registered ${name} at the portal`);
    return { url, itemId, name };
  };
  /** The service as the server's REST API answers it (an error 404 in a 200 once it is gone). */
  const restService = async (name: string) =>
    gis.get(`/arcgis/rest/services/${name}/FeatureServer`, { token: await serverToken(portal, gis, token) });
  const adminNames = async (admin?: string) => {
    const list = await gis.get('/arcgis/admin/services', {
      token: admin ?? (await serverToken(portal, gis, token)),
    });
    return (list.services as Json[]).map((s) => s.serviceName as string);
  };
  const deleteItem = (itemId: string) =>
    portal.call(`/sharing/rest/content/users/admin/items/${itemId}/delete`, { token });
  const item = (itemId: string) => portal.call(`/sharing/rest/content/items/${itemId}`, { token });

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'meridian-lifecycle-portal-'));
    [portal, gis] = await Promise.all([portalAt(home), startGis()]);
    token = await portal.token();
    await federate(portal, gis, token);
  });
  after(async () => {
    await gis?.close();
    await portal?.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('deleting the item on the portal deletes the service on the server', async () => {
    const s = await newService('Lakes');
    assert.equal((await restService('Lakes')).layers?.length, 1);
    const r = await deleteItem(s.itemId);
    assert.equal(r.success, true, JSON.stringify(r));
    const gone = await eventually(
      () => restService('Lakes'),
      (j) => j.error?.code === 404,
    );
    assert.equal(gone.error?.code, 404, JSON.stringify(gone));
    assert.ok(!(await adminNames()).includes('Lakes'));
    assert.deepEqual(await servers().pendingDeletions(), []);
  });

  test('the server down: the item goes at once, the deletion waits in the queue and is delivered once the server is back', async () => {
    const s = await newService('Rivers');
    await gis.stop();
    try {
      const t0 = Date.now();
      const r = await deleteItem(s.itemId);
      assert.equal(r.success, true, JSON.stringify(r));
      assert.ok(Date.now() - t0 < 3000, 'the item deletion does not wait for the server');
      assert.ok((await item(s.itemId)).error, 'the item is gone');
      const waiting = await eventually(
        () => servers().pendingDeletions(),
        (p) => p.length === 1 && p[0]!.attempts >= 1,
      );
      assert.equal(waiting.length, 1);
      assert.equal(waiting[0]!.service_url, s.url);
      assert.ok(waiting[0]!.last_error, 'the failure is kept for the administrator');
    } finally {
      await gis.restart();
    }
    assert.ok((await adminNames()).includes('Rivers'), 'still there until the queue delivers');
    const pending = await eventually(
      async () => {
        await servers().sendDueDeletions();
        return servers().pendingDeletions();
      },
      (p) => p.length === 0,
      25_000,
    );
    assert.deepEqual(pending, []);
    assert.equal((await restService('Rivers')).error?.code, 404);
  });

  test('deleting the service on the server deletes its item on the portal', async () => {
    const s = await newService('Trails');
    const r = await callServer(gis, '/arcgis/admin/services/Trails.FeatureServer/delete', {
      token: await serverToken(portal, gis, token),
    });
    assert.equal(r.status, 'success', JSON.stringify(r));
    const gone = await eventually(
      () => item(s.itemId),
      (j) => Boolean(j.error),
    );
    assert.ok(gone.error, 'the item is deleted with its service');
    assert.deepEqual(await fed().pending(), []);
    assert.deepEqual(await servers().pendingDeletions(), [], 'and the portal does not ask the server back');
  });

  test('the portal down: the service goes at once, the outbox delivers the deletion once the portal is back', async () => {
    const s = await newService('Roads');
    const admin = await serverToken(portal, gis, token);
    const port = portal.httpsPort;
    await portal.close();
    try {
      const r = await callServer(gis, '/arcgis/admin/services/Roads.FeatureServer/delete', { token: admin });
      assert.equal(r.status, 'success', JSON.stringify(r));
      assert.ok(!(await adminNames(admin)).includes('Roads'), 'the service is deleted at once');
      const waiting = await fed().pending();
      assert.equal(waiting.length, 1, JSON.stringify(waiting));
      assert.ok(waiting[0]!.lastError, 'the failed call is kept with its error');
    } finally {
      portal = await portalAt(home, port);
      token = await portal.token();
    }
    assert.ok(!(await item(s.itemId)).error, 'the item is still there until the outbox delivers');
    const left = await eventually(
      async () => {
        await fed().deliverDue();
        return fed().pending();
      },
      (p) => p.length === 0,
      25_000,
    );
    assert.deepEqual(left, []);
    assert.ok((await item(s.itemId)).error, 'the item is gone');
  });

  test('both sides delete: each tolerates the other having done it; no queue left retrying', async () => {
    // The portal queues the service's deletion while the server is down; meanwhile the service
    // is deleted on the server too (its outbox finds the item already gone).
    const s = await newService('Paths');
    await gis.stop();
    try {
      assert.equal((await deleteItem(s.itemId)).success, true);
      await eventually(
        () => servers().pendingDeletions(),
        (p) => p.length === 1 && p[0]!.attempts >= 1,
      );
    } finally {
      await gis.restart();
    }
    const r = await callServer(gis, '/arcgis/admin/services/Paths.FeatureServer/delete', {
      token: await serverToken(portal, gis, token),
    });
    assert.equal(r.status, 'success', JSON.stringify(r));
    assert.deepEqual(await fed().pending(), [], 'unregistering an item that is gone is no error');
    const left = await eventually(
      async () => {
        await servers().sendDueDeletions();
        return servers().pendingDeletions();
      },
      (p) => p.length === 0,
      25_000,
    );
    assert.deepEqual(left, [], 'deleting a service that is gone is no error');

    // At the same moment, from both sides.
    const both = await newService('Both');
    const [onPortal, onServer] = await Promise.all([
      deleteItem(both.itemId),
      callServer(gis, '/arcgis/admin/services/Both.FeatureServer/delete', {
        token: await serverToken(portal, gis, token),
      }),
    ]);
    assert.ok(onPortal.success || onPortal.error, JSON.stringify(onPortal));
    assert.equal(onServer.status, 'success', JSON.stringify(onServer));
    const settled = await eventually(
      async () => {
        await servers().sendDueDeletions();
        return [...(await servers().pendingDeletions()), ...(await fed().pending())];
      },
      (p) => p.length === 0,
      15_000,
    );
    assert.deepEqual(settled, []);
    assert.ok((await item(both.itemId)).error);
    assert.equal((await restService('Both')).error?.code, 404);
  });
});
