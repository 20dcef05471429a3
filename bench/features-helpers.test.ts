import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Expected, fullCheck, quickCheck, RECORD_COUNT } from './features-answers.ts';
import { PointIndex, randomBoxes } from './features-boxes.ts';
import { EXTENT, type Points, seededRandom, writePointsGeoJson } from './features-data.ts';
import { peakRssMb, peaksText, resetPeakRss, watchRss } from './features-memory.ts';

interface Collection {
  type: string;
  features: {
    geometry: { type: string; coordinates: [number, number] };
    properties: Record<string, unknown>;
  }[];
}

describe('the features bench data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-features-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a FeatureCollection of n points inside the extent, the same coordinates it answers, the same for a seed', async () => {
    const n = 9000; // more than two chunks
    const a = await writePointsGeoJson(join(dir, 'a.geojson'), n, 3);
    const b = await writePointsGeoJson(join(dir, 'b.geojson'), n, 3);
    const json = JSON.parse(readFileSync(join(dir, 'a.geojson'), 'utf8')) as Collection;
    assert.equal(json.type, 'FeatureCollection');
    assert.equal(json.features.length, n);
    json.features.forEach((f, i) => {
      assert.equal(f.geometry.type, 'Point');
      assert.deepEqual(f.geometry.coordinates, [a.x[i], a.y[i]]);
      assert.ok(
        a.x[i]! >= EXTENT.xmin && a.x[i]! <= EXTENT.xmax && a.y[i]! >= EXTENT.ymin && a.y[i]! <= EXTENT.ymax,
      );
      assert.equal(f.properties.name, `Site ${i + 1}`);
      assert.equal(typeof f.properties.capacity, 'number');
      assert.match(String(f.properties.surveyed), /^\d{4}-\d\d-\d\d$/);
    });
    assert.deepEqual(b.x, a.x);
    assert.deepEqual(readFileSync(join(dir, 'b.geojson')), readFileSync(join(dir, 'a.geojson')));
    const c = await writePointsGeoJson(join(dir, 'c.geojson'), n, 4);
    assert.notDeepEqual(c.x, a.x);
  });
});

describe('the features bench boxes', () => {
  const rand = seededRandom(5);
  const n = 20_000;
  const points: Points = {
    x: Float64Array.from({ length: n }, () => EXTENT.xmin + rand() * (EXTENT.xmax - EXTENT.xmin)),
    y: Float64Array.from({ length: n }, () => EXTENT.ymin + rand() * (EXTENT.ymax - EXTENT.ymin)),
    extent: EXTENT,
  };
  const bruteForce = (b: { xmin: number; ymin: number; xmax: number; ymax: number }) =>
    points.x.filter((x, i) => x >= b.xmin && x <= b.xmax && points.y[i]! >= b.ymin && points.y[i]! <= b.ymax)
      .length;

  it('counts the points of any box as a scan of every point does, edges included', () => {
    const index = new PointIndex(points);
    for (const box of randomBoxes(points, 400, 50, seededRandom(9)))
      assert.equal(index.count(box), bruteForce(box));
    const corner = { xmin: points.x[7]!, ymin: points.y[7]!, xmax: points.x[7]!, ymax: points.y[7]! };
    assert.equal(index.count(corner), 1);
    assert.equal(index.count(EXTENT), n);
  });

  it('makes boxes inside the extent holding about perBox points on average', () => {
    const index = new PointIndex(points);
    const boxes = randomBoxes(points, 500, 200, seededRandom(2));
    for (const b of boxes) {
      assert.ok(
        b.xmin >= EXTENT.xmin && b.xmax <= EXTENT.xmax && b.ymin >= EXTENT.ymin && b.ymax <= EXTENT.ymax,
      );
      assert.ok(b.xmax > b.xmin && b.ymax > b.ymin);
    }
    const mean = boxes.reduce((s, b) => s + index.count(b), 0) / boxes.length;
    assert.ok(Math.abs(mean - 500) < 25, `mean ${mean}`);
    assert.throws(() => randomBoxes(points, n + 1, 1, rand), /perBox must be between 1 and 20000/);
    assert.throws(() => randomBoxes(points, n, 1, rand), /do not fit the extent/);
  });
});

describe('the features bench answer checks', () => {
  const box = { xmin: 10, ymin: 50, xmax: 11, ymax: 51 };
  const feature = (x: number, y: number) => ({
    attributes: { OBJECTID: 1, name: 'Site 1', capacity: 3 },
    geometry: { x, y },
  });
  const answer = (features: unknown[], exceeded: boolean) =>
    JSON.stringify({ objectIdFieldName: 'OBJECTID', features, exceededTransferLimit: exceeded });

  it('takes the right answer, under the limit and over it', () => {
    const few: Expected = { box, inBox: 3 };
    const body = answer([feature(10, 50), feature(10.5, 50.5), feature(11, 51)], false);
    assert.equal(fullCheck(body, few), null);
    assert.equal(quickCheck(body, few), true);
    const many: Expected = { box, inBox: RECORD_COUNT + 5 };
    const full = answer(
      Array.from({ length: RECORD_COUNT }, () => feature(10.2, 50.2)),
      true,
    );
    assert.equal(fullCheck(full, many), null);
    assert.equal(quickCheck(full, many), true);
  });

  it('refuses a feature short, a point outside the box, a wrong limit flag, missing attributes and an error', () => {
    const e: Expected = { box, inBox: 2 };
    const short = answer([feature(10.5, 50.5)], false);
    assert.match(fullCheck(short, e) ?? '', /1 features for a box holding 2/);
    assert.equal(quickCheck(short, e), false);
    assert.match(
      fullCheck(answer([feature(10.5, 50.5), feature(11.01, 50.5)], false), e) ?? '',
      /outside the box/,
    );
    assert.match(
      fullCheck(answer([feature(10.5, 50.5), feature(10.6, 50.5)], true), e) ?? '',
      /exceededTransferLimit true/,
    );
    const bare = JSON.stringify({
      features: [{ attributes: {}, geometry: { x: 10.5, y: 50.5 } }, feature(10.6, 50.6)],
    });
    assert.match(fullCheck(bare, e) ?? '', /without its attributes/);
    const error = '{"error":{"code":400,"message":"Invalid geometry.","details":[]}}';
    assert.match(fullCheck(error, e) ?? '', /an error/);
    assert.equal(quickCheck(error, e), false);
    assert.match(fullCheck('<html>', e) ?? '', /not JSON/);
  });
});

describe('the features bench memory figures', () => {
  const linux = process.platform === 'linux';

  it('reads a running process peak RSS and its parts, and resets the peak', {
    skip: !linux && 'no /proc',
  }, () => {
    const peak = peakRssMb(process.pid)!;
    assert.ok(peak * 2 ** 20 >= process.memoryUsage().rss * 0.9, `${peak} MB`);
    // The peak since start may lie well above today's RSS (a collected heap): start from a reset
    // peak, so that the ballast must raise it by its own size.
    assert.ok(resetPeakRss(process.pid));
    const before = peakRssMb(process.pid)!;
    const watch = watchRss(process.pid, 5);
    const ballast = Buffer.alloc(64 * 2 ** 20, 1); // 64 MB, touched
    const peaks = watch.stop();
    assert.ok(ballast.length > 0);
    assert.ok(peaks.total! >= before + 48, `${peaks.total} after ${before}`);
    assert.ok(peaks.anon! > 48 && peaks.file! > 0 && peaks.anon! + peaks.file! <= peaks.total! + 1);
    assert.ok(resetPeakRss(process.pid));
    assert.match(peaksText(peaks), /^\d+ MB \(anonymous ≤ \d+, file-backed ≤ \d+\)$/);
  });

  it('says nothing of a process that is gone', () => {
    assert.equal(peakRssMb(2 ** 22 + 1), null);
    assert.equal(watchRss(2 ** 22 + 1).stop().total, null);
    assert.equal(peaksText({ total: null, anon: null, file: null }), '-');
  });
});
