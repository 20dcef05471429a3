import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupRings, signedArea2, toGeoJsonGeometry } from './geojson.ts';

// Esri orientation: exteriors clockwise, holes counterclockwise (y up).
const outerCw = [
  [0, 0],
  [0, 10],
  [10, 10],
  [10, 0],
  [0, 0],
];
const holeCcw = [
  [2, 2],
  [4, 2],
  [4, 4],
  [2, 4],
  [2, 2],
];
const islandCw = [
  [2.5, 2.5],
  [2.5, 3.5],
  [3.5, 3.5],
  [3.5, 2.5],
  [2.5, 2.5],
];
const farCw = [
  [20, 0],
  [20, 5],
  [25, 5],
  [25, 0],
  [20, 0],
];

describe('toGeoJsonGeometry', () => {
  test('points, multipoints, lines', () => {
    assert.deepEqual(toGeoJsonGeometry({ x: 1, y: 2 }), { type: 'Point', coordinates: [1, 2] });
    assert.deepEqual(toGeoJsonGeometry({ points: [[1, 2]] }), { type: 'MultiPoint', coordinates: [[1, 2]] });
    assert.deepEqual(
      toGeoJsonGeometry({
        paths: [
          [
            [0, 0],
            [1, 1],
          ],
        ],
      }),
      {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
    );
    assert.equal(
      toGeoJsonGeometry({
        paths: [
          [
            [0, 0],
            [1, 1],
          ],
          [
            [2, 2],
            [3, 3],
          ],
        ],
      })?.type,
      'MultiLineString',
    );
    assert.equal(toGeoJsonGeometry(null), null);
  });

  test('a polygon with a hole: exterior counterclockwise, hole clockwise (RFC 7946)', () => {
    const g = toGeoJsonGeometry({ rings: [outerCw, holeCcw] });
    assert.equal(g?.type, 'Polygon');
    const rings = g!.coordinates as number[][][];
    assert.equal(rings.length, 2);
    assert.ok(signedArea2(rings[0]!) > 0, 'exterior must be counterclockwise');
    assert.ok(signedArea2(rings[1]!) < 0, 'hole must be clockwise');
    assert.deepEqual(new Set(rings[0]!.map(String)), new Set(outerCw.map(String)));
  });

  test('two exteriors become a MultiPolygon, each with its own holes', () => {
    const g = toGeoJsonGeometry({ rings: [farCw, holeCcw, outerCw] });
    assert.equal(g?.type, 'MultiPolygon');
    const polys = g!.coordinates as number[][][][];
    assert.equal(polys.length, 2);
    const big = polys.find((p) => p[0]!.some(([x]) => x === 10))!;
    const far = polys.find((p) => p[0]!.some(([x]) => x === 25))!;
    assert.equal(big.length, 2);
    assert.equal(far.length, 1);
  });

  test('an island inside a hole is a polygon of its own', () => {
    const polys = groupRings([outerCw, holeCcw, islandCw]);
    assert.equal(polys.length, 2);
    assert.equal(polys[0]!.length, 2);
    assert.equal(polys[1]!.length, 1);
    assert.ok(signedArea2(polys[1]![0]!) > 0);
  });

  test('grouping relies on containment, not on the input orientation', () => {
    const reversedOuter = [...outerCw].reverse();
    const reversedHole = [...holeCcw].reverse();
    const polys = groupRings([reversedHole, reversedOuter]);
    assert.equal(polys.length, 1);
    assert.equal(polys[0]!.length, 2);
    assert.ok(signedArea2(polys[0]![0]!) > 0);
    assert.ok(signedArea2(polys[0]![1]!) < 0);
  });
});
