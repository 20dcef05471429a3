import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { type OpenedFeatureStore, openFeatureStore } from '../store/open-store.ts';
import { ingestFile } from './index.ts';

/**
 * An aborted ingest (a cancelled publish job): it stops reading, rejects with the signal's
 * reason, and leaves no layer row and no layer table; the layer id is free again.
 */
const dir = mkdtempSync(join(tmpdir(), 'meridian-ingest-abort-'));
let store: OpenedFeatureStore;
const path = join(dir, 'points.geojson');
before(async () => {
  store = await openFeatureStore({ home: dir });
  const features = Array.from({ length: 20_000 }, (_, i) => ({
    type: 'Feature',
    properties: { n: i },
    geometry: { type: 'Point', coordinates: [(i % 360) - 180, (i % 180) - 90] },
  }));
  writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features }));
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The layer rows and layer tables of the feature file, read apart from the store. */
function leftovers(serviceKey: string): { rows: number; tables: string[] } {
  const db = new DatabaseSync(join(dir, 'features.sqlite'), { readOnly: true });
  try {
    const rows = db.prepare('SELECT count(*) AS n FROM layers WHERE service_key = ?').get(serviceKey)!.n;
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB '[fwr][0-9]*'`)
      .all()
      .map((r) => r.name as string);
    return { rows: Number(rows), tables };
  } finally {
    db.close();
  }
}

for (const phase of ['checking', 'loading'] as const) {
  test(`aborted while ${phase}: the ingest rejects with the reason and nothing is left`, async () => {
    const key = `abort-${phase}`;
    const tablesBefore = leftovers(key).tables;
    const ac = new AbortController();
    const reason = new Error(`stop while ${phase}`);
    let progressAfterAbort = 0;
    await assert.rejects(
      ingestFile(store, key, {
        path,
        format: 'geojson',
        layerName: 'Points',
        batchSize: 1000,
        signal: ac.signal,
        onProgress: (p) => {
          if (ac.signal.aborted) progressAfterAbort++;
          const loading = p.total !== null && p.total !== undefined;
          if ((phase === 'loading') === loading && p.done > 0) ac.abort(reason);
        },
      }),
      (e) => e === reason,
    );
    assert.ok(
      progressAfterAbort <= 1,
      `reading stopped (${progressAfterAbort} progress reports after the abort)`,
    );
    assert.deepEqual(leftovers(key), { rows: 0, tables: tablesBefore });
    assert.deepEqual(await store.layers(key), []);
    // The same layer loads in full afterwards.
    const [def] = await ingestFile(store, key, { path, format: 'geojson', layerName: 'Points' });
    assert.equal(def!.featureCount, 20_000);
  });
}

test('an already aborted signal: nothing is read or created', async () => {
  const ac = new AbortController();
  ac.abort(new Error('cancelled before it began'));
  await assert.rejects(
    ingestFile(store, 'never', { path, format: 'geojson', layerName: 'Points', signal: ac.signal }),
    /cancelled before it began/,
  );
  assert.equal(leftovers('never').rows, 0);
});
