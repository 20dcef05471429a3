import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import type { QueryPlan } from '../plan.ts';
import { type FeatureStoreOptions, openFeatureStore } from './open-store.ts';
import { ABANDONED_AFTER_MS } from './writer-mark.ts';

/**
 * Half-written layers and their writers (SQLite and PostGIS): opening a store drops nothing;
 * the sweep keeps a live writer's layer and drops a dead writer's (killed process) and one
 * whose heartbeat is older than the timeout.
 */
const CHILD = fileURLToPath(new URL('./test-writer-process.ts', import.meta.url));

const drivers: Record<string, () => Promise<{ opts: FeatureStoreOptions; cleanup(): Promise<void> }>> = {
  sqlite: async () => {
    const home = mkdtempSync(join(tmpdir(), 'meridian-writers-'));
    return { opts: { home }, cleanup: async () => rmSync(home, { recursive: true, force: true }) };
  },
  postgis: async () => {
    const pg = await createPgDatabase();
    return {
      opts: { home: '/nonexistent', pgUrl: pg.url, pgSchema: 'writers_test' },
      cleanup: () => pg.drop(),
    };
  },
};

const count: QueryPlan = {
  mode: 'count',
  where: { kind: 'true' },
  outFields: [],
  returnGeometry: false,
  orderBy: [],
  offset: 0,
};

const layer = (name: string) => ({
  id: 0,
  name,
  geometryType: 'esriGeometryPoint' as const,
  wkid: 4326,
  fields: [],
});

/** Starts a process that writes layer 0 of service 'dying' and waits; answers it once it writes. */
async function dyingWriter(opts: FeatureStoreOptions) {
  const args = [CHILD, opts.home, ...(opts.pgUrl ? [opts.pgUrl, opts.pgSchema!] : [])];
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.includes('writing')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the writer process exited (${code}) before writing`)));
  });
  return child;
}

for (const [kind, make] of Object.entries(drivers)) {
  describe(`half-written layers on ${kind}`, () => {
    let env: Awaited<ReturnType<(typeof drivers)['sqlite']>>;
    before(async () => {
      env = await make();
    });
    after(async () => {
      await env.cleanup();
    });

    test("a live writer's layer survives another store's opening and sweep, and finishes", async () => {
      const a = await openFeatureStore(env.opts);
      const w = await a.createLayer('live', layer('Live'));
      await w.append([{ attributes: {}, geometry: { x: 1, y: 1 } }]);
      const b = await openFeatureStore(env.opts);
      assert.deepEqual(await b.sweepAbandoned(), []);
      await w.append([{ attributes: {}, geometry: { x: 2, y: 2 } }]);
      const def = await w.finish();
      assert.equal(def.featureCount, 2);
      assert.deepEqual(await b.query('live', 0, count), { mode: 'count', count: 2 });
      await b.close();
      await a.close();
    });

    test("a killed writer's layer is kept by opening, dropped by the sweep; the id is free again", async () => {
      const child = await dyingWriter(env.opts);
      child.kill('SIGKILL');
      await once(child, 'exit');
      const s = await openFeatureStore(env.opts);
      // Opening dropped nothing: the sweep finds it.
      assert.deepEqual(await s.sweepAbandoned(), [{ serviceKey: 'dying', layerId: 0 }]);
      assert.deepEqual(await s.sweepAbandoned(), []);
      const w = await s.createLayer('dying', layer('Again'));
      await w.append([{ attributes: {}, geometry: { x: 3, y: 3 } }]);
      await w.finish();
      assert.deepEqual(await s.query('dying', 0, count), { mode: 'count', count: 1 });
      await s.close();
    });

    test('a writer whose heartbeat is older than the timeout is taken for gone', async () => {
      const a = await openFeatureStore(env.opts);
      const w = await a.createLayer('stale', layer('Stale'));
      await w.append([{ attributes: {}, geometry: { x: 1, y: 1 } }]);
      const b = await openFeatureStore(env.opts);
      assert.deepEqual(await b.sweepAbandoned({ now: Date.now() + ABANDONED_AFTER_MS - 60_000 }), []);
      assert.deepEqual(await b.sweepAbandoned({ now: Date.now() + ABANDONED_AFTER_MS + 60_000 }), [
        { serviceKey: 'stale', layerId: 0 },
      ]);
      await assert.rejects(w.finish());
      await w.abort();
      await b.close();
      await a.close();
    });
  });
}
