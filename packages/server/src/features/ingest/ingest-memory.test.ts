import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

/**
 * What publishing costs in memory beyond the process at rest: a 400,000-point GeoJSON (~60 MB,
 * five attributes) ingested into the SQLite store in a child process whose peak RSS is reset
 * (/proc/self/clear_refs) after the file is written and the store opened. Reading 64 KiB at a
 * time, appending 500 features at a time and no memory map while the layer is written keep the
 * growth near 60 MB; 1 MiB reads, 5,000-feature batches and the map during the R*Tree fill
 * grew it by ~155 MB.
 */
const dir = mkdtempSync(join(tmpdir(), 'meridian-ingest-memory-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('ingesting 400,000 points grows the peak RSS by less than 100 MB', {
  skip: process.platform !== 'linux' && 'reads /proc',
}, () => {
  const script = `
    import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
    import { once } from 'node:events';
    import { openFeatureStore } from ${JSON.stringify(new URL('../store/open-store.ts', import.meta.url).pathname)};
    import { ingestFile } from ${JSON.stringify(new URL('./index.ts', import.meta.url).pathname)};
    const dir = ${JSON.stringify(dir)};
    const out = createWriteStream(dir + '/points.geojson');
    out.write('{"type":"FeatureCollection","features":[');
    for (let i = 0; i < 400000; i++) {
      const f = { type: 'Feature', properties: { i, name: 'feature ' + i, kind: 'k' + (i % 8), v: i / 7, d: '2020-01-0' + (1 + (i % 9)) },
        geometry: { type: 'Point', coordinates: [((i * 7919) % 3600) / 10 - 180, ((i * 104729) % 1600) / 10 - 80] } };
      if (!out.write((i ? ',' : '') + JSON.stringify(f))) await once(out, 'drain');
    }
    out.end(']}');
    await once(out, 'finish');
    const store = await openFeatureStore({ home: dir + '/store' });
    const kb = (k) => Number(new RegExp('^' + k + ':\\\\s+(\\\\d+) kB', 'm').exec(readFileSync('/proc/self/status', 'utf8'))[1]);
    writeFileSync('/proc/self/clear_refs', '5');
    const before = kb('VmRSS');
    const [def] = await ingestFile(store, 'points', { path: dir + '/points.geojson', format: 'geojson', layerName: 'Points' });
    const growth = kb('VmHWM') - before;
    await store.close();
    process.stdout.write(JSON.stringify({ count: def.featureCount, growthMb: growth / 1024 }));
  `;
  const r = spawnSync(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const { count, growthMb } = JSON.parse(r.stdout) as { count: number; growthMb: number };
  assert.equal(count, 400_000);
  assert.ok(growthMb < 100, `the ingest grew the peak RSS by ${growthMb.toFixed(0)} MB`);
});
