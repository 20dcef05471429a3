/**
 * The publish job beyond its happy path: cancelled while it runs (the ingest stops, no service,
 * no layer, no upload left), and two nodes of one server on PostgreSQL, where every upload is
 * published by the node that received it (the job is local to it) however idle the other is.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { pointsGeoJson, startTestServer, type TestServer } from './test-server.ts';

describe('cancelling a publish job (SQLite)', () => {
  let home: string;
  let t: TestServer;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'meridian-publish-cancel-'));
    t = await startTestServer(home);
  });
  after(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('cancelled while running: the job ends cancelled, and no service, layer or upload is left', async () => {
    const created = await t.createService(
      { serviceName: 'Big' },
      { name: 'big.geojson', body: pointsGeoJson(300_000) },
    );
    assert.ok(created.jobId, JSON.stringify(created));
    const path = `/arcgis/admin/jobs/${created.jobId}`;
    for (;;) {
      const j = await t.call(path, {}, { token: t.adminToken });
      if (j.status === 'running') break;
      assert.equal(j.status, 'queued', JSON.stringify(j));
      await sleep(5);
    }
    const publisher = await t.tokenOf('someone', 'org_publisher');
    const refused = await t.call(`${path}/cancel`, {}, { method: 'POST', token: publisher });
    assert.equal(refused.status, 'error', "another publisher's job is not theirs to cancel");
    const asked = await t.call(`${path}/cancel`, {}, { method: 'POST', token: t.adminToken });
    assert.equal(asked.cancelRequested, true, JSON.stringify(asked));
    const job = await t.waitJob(created.jobId);
    assert.equal(job.status, 'cancelled', JSON.stringify(job));
    assert.ok(job.progress.done < 300_000, `stopped early (${JSON.stringify(job.progress)})`);
    assert.equal(
      (await t.call('/arcgis/rest/services/Big/FeatureServer', {}, { token: t.adminToken })).error.code,
      404,
    );
    assert.deepEqual(readdirSync(join(home, 'publish')), [], 'the upload is removed');
    const db = new DatabaseSync(join(home, 'features.sqlite'), { readOnly: true });
    try {
      assert.deepEqual(
        db.prepare('SELECT state, service_key FROM layers').all(),
        [],
        'no layer row, ready or half-written',
      );
      assert.deepEqual(
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB '[fwr][0-9]*'`).all(),
        [],
      );
    } finally {
      db.close();
    }
    const again = await t.createService(
      { serviceName: 'Big' },
      { name: 'b.geojson', body: pointsGeoJson(10) },
    );
    assert.equal((await t.waitJob(again.jobId)).status, 'succeeded', 'the name is free again');
  });
});

describe('publishing on two nodes of one server (PostgreSQL)', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  const homes: string[] = [];
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    pg = await createPgDatabase();
    for (let i = 0; i < 2; i++) homes.push(mkdtempSync(join(tmpdir(), 'meridian-publish-node-')));
    a = await startTestServer(homes[0]!, { 'database.url': pg.url });
    b = await startTestServer(homes[1]!, { 'database.url': pg.url }, { sameServerAs: homes[0]! });
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await pg?.drop();
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  });

  test('every upload is published by the node that received it, while the other node idles', async () => {
    // Node B receives most (more than it runs at once, so some wait queued while A is free).
    const body = pointsGeoJson(20_000);
    const jobs = await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        const to = i === 3 ? a : b;
        const created = await to.createService(
          { serviceName: `Part${i}` },
          { name: `part${i}.geojson`, body },
        );
        assert.ok(created.jobId, JSON.stringify(created));
        return { id: created.jobId as string, to };
      }),
    );
    for (const { id, to } of jobs) {
      const j = await to.waitJob(id);
      assert.equal(j.status, 'succeeded', JSON.stringify(j.error));
      assert.equal(j.node, to.server.kernel.bus.nodeId, 'run by the node holding the upload');
    }
    for (const s of [a, b]) {
      const listing = await s.call('/arcgis/rest/services', {}, { token: s.adminToken });
      assert.equal(listing.services.length, 7);
      const count = await s.call(
        '/arcgis/rest/services/Part3/FeatureServer/0/query',
        { where: '1=1', returnCountOnly: 'true' },
        { token: s.adminToken },
      );
      assert.equal(count.count, 20_000);
    }
  });
});
