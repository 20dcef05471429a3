/**
 * The PostGIS store survives its connections being cut (a database restart, a backend an
 * administrator terminated): the process goes on, the cut is reported, the next query connects
 * again. Without the pool's error listeners an idle connection's error ends the process.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { openFeatureStore } from './open-store.ts';

test('PostGIS: connections terminated under the store are reported and replaced', async () => {
  const db = await createPgDatabase();
  const reported: Error[] = [];
  const store = await openFeatureStore({
    home: '/nonexistent',
    pgUrl: db.url,
    onPoolError: (e) => reported.push(e),
  });
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    const writer = await store.createLayer('svc', {
      id: 0,
      name: 'Points',
      geometryType: 'esriGeometryPoint',
      wkid: 4326,
      fields: [{ name: 'OBJECTID', type: 'esriFieldTypeOID', alias: 'OBJECTID', nullable: false }],
    });
    await writer.append([{ attributes: {}, geometry: { x: 1, y: 2 } }]);
    await writer.finish();
    const count = async () => {
      const r = await store.query('svc', 0, {
        mode: 'count',
        where: { kind: 'true' },
        outFields: ['OBJECTID'],
        returnGeometry: false,
        orderBy: [{ field: 'OBJECTID', dir: 'ASC' }],
        offset: 0,
      });
      return r.mode === 'count' ? r.count : -1;
    };
    assert.equal(await count(), 1);
    // Every connection of the store's pool is idle now; end them all from the database side.
    const killed = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    assert.ok(killed.rowCount! >= 1, 'the store held a connection');
    for (let i = 0; i < 50 && reported.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(reported.length >= 1, 'the cut was reported');
    assert.match(reported[0]!.message, /terminat/i);
    assert.equal(await count(), 1, 'the next query connects again');
  } finally {
    await admin.end();
    await store.close();
    await db.drop();
  }
});
