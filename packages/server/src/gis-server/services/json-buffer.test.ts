import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonBuffer } from './json-buffer.ts';

const same = (body: Record<string, unknown>) =>
  assert.equal(jsonBuffer(body).toString('utf8'), JSON.stringify(body), JSON.stringify(body).slice(0, 200));

test('a query answer as a Buffer is byte for byte JSON.stringify of it', () => {
  const feature = (i: number) => ({
    attributes: {
      OBJECTID: i,
      name: `Site ${i} "quoted" ünïcode \u2028`,
      v: i / 3,
      n: null,
      nan: Number.NaN,
    },
    geometry: { x: 10.123456 + i, y: -0.000001 * i },
  });
  for (const n of [0, 1, 63, 64, 65, 128, 1000, 1001]) {
    same({
      objectIdFieldName: 'OBJECTID',
      fields: [{ name: 'OBJECTID', type: 'esriFieldTypeOID', domain: null }],
      features: Array.from({ length: n }, (_x, i) => feature(i)),
      exceededTransferLimit: n > 1000,
    });
  }
  // GeoJSON: features first, then properties.
  same({
    type: 'FeatureCollection',
    features: Array.from({ length: 200 }, (_x, i) => ({
      type: 'Feature',
      id: i,
      geometry: { type: 'Point', coordinates: [i, i] },
      properties: { a: `x${i}`, undef: undefined },
    })),
    properties: { exceededTransferLimit: true },
  });
  // An empty "features" elsewhere in the answer (a field named so) and answers without features.
  same({
    fields: [{ name: 'f', features: [] }],
    features: Array.from({ length: 100 }, (_x, i) => ({ attributes: { f: i } })),
  });
  same({ count: 3 });
  same({ objectIdFieldName: 'OBJECTID', objectIds: [1, 2, 3] });
});
