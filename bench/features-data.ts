/**
 * The features bench's data: N random points spread evenly over a realistic extent (Germany's
 * bounding box, in WGS 84), each with a few attributes, written as one GeoJSON FeatureCollection
 * file in chunks (never built as one string). The coordinates are kept as written (6 decimals),
 * so that the bench knows how many points any box holds (bench/features-boxes.ts).
 * Deterministic: the same seed gives the same file.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Envelope } from '../packages/server/src/features/plan.ts';

/** Germany's bounding box, degrees (WGS 84). */
export const EXTENT: Envelope = { xmin: 5.87, ymin: 47.27, xmax: 15.04, ymax: 55.06 };

const CATEGORIES = ['school', 'clinic', 'depot', 'station', 'shop', 'park', 'library', 'pharmacy'];
/** Features per chunk written. */
const CHUNK = 4096;
const DAY = 86_400_000;
const SURVEY_START = Date.UTC(2015, 0, 1);

/** A small seeded generator of numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The points of a written file, as written (x and y of point i at index i). */
export interface Points {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly extent: Envelope;
}

/**
 * Writes `n` points as a GeoJSON FeatureCollection to `path` and answers their coordinates.
 * Properties: name (string), category (one of 8), capacity (integer), elevation (double),
 * surveyed (a date, yyyy-mm-dd).
 */
export async function writePointsGeoJson(
  path: string,
  n: number,
  seed = 7,
  extent: Envelope = EXTENT,
): Promise<Points> {
  const rand = seededRandom(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const w = extent.xmax - extent.xmin;
  const h = extent.ymax - extent.ymin;
  function* chunks(): Generator<string> {
    yield '{"type":"FeatureCollection","features":[\n';
    for (let start = 0; start < n; start += CHUNK) {
      const parts: string[] = [];
      for (let i = start; i < Math.min(n, start + CHUNK); i++) {
        const xs = (extent.xmin + rand() * w).toFixed(6);
        const ys = (extent.ymin + rand() * h).toFixed(6);
        x[i] = Number(xs);
        y[i] = Number(ys);
        const properties = {
          name: `Site ${i + 1}`,
          category: CATEGORIES[Math.floor(rand() * CATEGORIES.length)],
          capacity: Math.floor(rand() * 5000),
          elevation: Math.round(rand() * 30_000) / 10,
          surveyed: new Date(SURVEY_START + Math.floor(rand() * 3000) * DAY).toISOString().slice(0, 10),
        };
        parts.push(
          `{"type":"Feature","geometry":{"type":"Point","coordinates":[${xs},${ys}]},"properties":${JSON.stringify(properties)}}`,
        );
      }
      yield `${start === 0 ? '' : ',\n'}${parts.join(',\n')}`;
    }
    yield '\n]}\n';
  }
  await pipeline(Readable.from(chunks()), createWriteStream(path));
  return { x, y, extent };
}
