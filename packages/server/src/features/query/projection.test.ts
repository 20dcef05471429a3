import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isMeridianError } from '../../kernel/errors/meridian-error.ts';
import {
  MAX_MERCATOR_LAT,
  projectEnvelope,
  projectGeometry,
  projector,
  toMercator,
  toWgs84,
} from './projection.ts';

const HALF_WORLD = 20_037_508.342789244;

function near(a: number, b: number, eps: number, what = ''): void {
  assert.ok(Math.abs(a - b) <= eps, `${what} ${a} is not within ${eps} of ${b}`);
}

describe('projection', () => {
  test('known points: the antimeridian, the equator, the limit latitude, Paris', () => {
    const [x, y] = toMercator(180, 0);
    near(x, HALF_WORLD, 1e-6);
    near(y, 0, 1e-6);
    near(toMercator(0, MAX_MERCATOR_LAT)[1], HALF_WORLD, 1e-3);
    // EPSG:3857 coordinates of Paris (2.3522, 48.8566), as proj computes them.
    const [px, py] = toMercator(2.3522, 48.8566);
    near(px, 261845.7, 0.1);
    near(py, 6250564.35, 0.1);
  });

  test('forward clamps latitudes beyond ±85.0511', () => {
    assert.deepEqual(toMercator(10, 89.9), toMercator(10, MAX_MERCATOR_LAT));
    assert.deepEqual(toMercator(10, -90), toMercator(10, -MAX_MERCATOR_LAT));
    assert.ok(Number.isFinite(toMercator(0, 90)[1]));
  });

  test('round trips 4326 → 3857 → 4326 over a grid', () => {
    for (let lon = -180; lon <= 180; lon += 15) {
      for (let lat = -85; lat <= 85; lat += 5) {
        const [x, y] = toMercator(lon, lat);
        const [lon2, lat2] = toWgs84(x, y);
        near(lon2, lon, 1e-9, 'lon');
        near(lat2, lat, 1e-9, 'lat');
      }
    }
  });

  test('same spatial reference is the identity; 102100 is 3857', () => {
    assert.equal(projector(4326, 4326), undefined);
    assert.equal(projector(102100, 3857), undefined);
    const g = { x: 1, y: 2 };
    assert.equal(projectGeometry(g, 3857, 102100), g);
  });

  test('an unsupported pair is a 400 naming the wkid and the supported ones', () => {
    assert.throws(
      () => projector(4326, 27700),
      (e: unknown) =>
        isMeridianError(e) &&
        e.code === 'features.bad_query' &&
        /27700 is not supported; the supported ones are 4326, 3857 \(102100\)/.test(e.message),
    );
  });

  test('whole geometries project every vertex and keep extra ordinates', () => {
    const poly = projectGeometry(
      {
        rings: [
          [
            [0, 0],
            [10, 0],
            [10, 10],
            [0, 0],
          ],
        ],
      },
      4326,
      3857,
    );
    assert.ok('rings' in poly);
    near(poly.rings[0]![1]![0]!, toMercator(10, 0)[0], 1e-9);
    const line = projectGeometry(
      {
        paths: [
          [
            [0, 0, 5],
            [1, 1, 6],
          ],
        ],
      },
      4326,
      3857,
    );
    assert.ok('paths' in line);
    assert.equal(line.paths[0]![1]![2], 6);
    const mp = projectGeometry({ points: [[HALF_WORLD, 0]] }, 3857, 4326);
    assert.ok('points' in mp);
    near(mp.points[0]![0]!, 180, 1e-9);
    const pt = projectGeometry({ x: 0, y: 0 }, 3857, 4326);
    assert.deepEqual(pt, { x: 0, y: 0 });
  });

  test('envelopes stay covering: the projected box holds every projected point of the original', () => {
    const e = { xmin: -20, ymin: 30, xmax: 40, ymax: 70 };
    const m = projectEnvelope(e, 4326, 3857);
    for (let k = 0; k <= 20; k++) {
      const [x, y] = toMercator(
        e.xmin + ((e.xmax - e.xmin) * k) / 20,
        e.ymin + ((e.ymax - e.ymin) * (20 - k)) / 20,
      );
      assert.ok(x >= m.xmin - 1e-6 && x <= m.xmax + 1e-6 && y >= m.ymin - 1e-6 && y <= m.ymax + 1e-6);
    }
    const back = projectEnvelope(m, 3857, 4326);
    near(back.xmin, -20, 1e-9);
    near(back.ymax, 70, 1e-9);
    assert.equal(projectEnvelope(e, 4326, 4326), e);
  });
});
