/** The sync bench's gauge items: 1–4 KB, valid CSV or GeoJSON, deterministic, every file unique. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaugeData, gaugeItem, sha256 } from './sync-data.ts';

test('gauge files are 1–4 KB of valid CSV or GeoJSON, the same for the same gauge and version', () => {
  for (let n = 1; n <= 200; n++) {
    const item = gaugeItem(n);
    const text = item.bytes.toString('utf8');
    assert.ok(
      item.bytes.length >= 1024 && item.bytes.length < 4096 + 200,
      `${n}: ${item.bytes.length} bytes`,
    );
    if (item.type === 'GeoJson') {
      const fc = JSON.parse(text);
      assert.equal(fc.type, 'FeatureCollection');
      assert.ok(
        fc.features.length > 0 &&
          fc.features.every((f: { properties: { gauge: number } }) => f.properties.gauge === n),
      );
    } else {
      const lines = text.trimEnd().split('\n');
      assert.equal(lines[0], 'gauge,version,observed,level_cm,flow_m3s');
      assert.ok(lines.slice(1).every((l) => l.split(',').length === 5 && l.startsWith(`${n},0,`)));
    }
    assert.deepEqual(gaugeData(n, 0), item.bytes);
  }
});

test('no two gauges or versions share a checksum', () => {
  const seen = new Set<string>();
  for (let n = 1; n <= 2000; n++)
    for (const version of [0, 1]) {
      const sum = sha256(gaugeData(n, version));
      assert.ok(!seen.has(sum), `gauge ${n} v${version} repeats a file`);
      seen.add(sum);
    }
});
