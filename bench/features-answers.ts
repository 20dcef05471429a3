/**
 * The features bench's query and the check of its answers. The query is the same for Koop and
 * Meridian: an envelope (intersects, inSR 4326), every field, the geometry, resultRecordCount
 * 1000, f=json. A right answer has min(points in the box, 1000) features, each inside the
 * box, and says exceededTransferLimit exactly when the box holds more than 1000.
 */
import type { Envelope } from '../packages/server/src/features/plan.ts';

/** resultRecordCount of every query. */
export const RECORD_COUNT = 1000;

/** The query string (no '?') of a box query. */
export function boxQuery(box: Envelope): string {
  return new URLSearchParams({
    geometry: [box.xmin, box.ymin, box.xmax, box.ymax].join(','),
    geometryType: 'esriGeometryEnvelope',
    spatialRel: 'esriSpatialRelIntersects',
    inSR: '4326',
    outFields: '*',
    returnGeometry: 'true',
    resultRecordCount: String(RECORD_COUNT),
    f: 'json',
  }).toString();
}

/** A box and how many points it holds. */
export interface Expected {
  box: Envelope;
  inBox: number;
}

/** Features a right answer holds. */
export const expectedFeatures = (e: Expected): number => Math.min(e.inBox, RECORD_COUNT);

/** How many times `needle` occurs in `body`. */
function occurrences(body: string, needle: string): number {
  let n = 0;
  for (let i = body.indexOf(needle); i !== -1; i = body.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Cheap enough for every answer: as many features ("attributes" keys) as expected, and no error. */
export function quickCheck(body: string, e: Expected): boolean {
  return !body.startsWith('{"error"') && occurrences(body, '"attributes"') === expectedFeatures(e);
}

interface AnswerJson {
  error?: { message?: string };
  features?: { attributes?: Record<string, unknown>; geometry?: { x?: number; y?: number } }[];
  exceededTransferLimit?: boolean;
}

/** The full check: parsed, counted, every point in the box, the attributes there, the limit flag. Answers why not, or null. */
export function fullCheck(body: string, e: Expected): string | null {
  let json: AnswerJson;
  try {
    json = JSON.parse(body) as AnswerJson;
  } catch {
    return `not JSON: ${body.slice(0, 200)}`;
  }
  if (json.error) return `an error: ${JSON.stringify(json.error).slice(0, 300)}`;
  const features = json.features;
  if (!Array.isArray(features)) return `no features array: ${body.slice(0, 200)}`;
  const want = expectedFeatures(e);
  if (features.length !== want)
    return `${features.length} features for a box holding ${e.inBox} (expected ${want})`;
  const { box } = e;
  for (const f of features) {
    const x = f.geometry?.x;
    const y = f.geometry?.y;
    if (typeof x !== 'number' || typeof y !== 'number')
      return `a feature without a point: ${JSON.stringify(f)}`;
    if (x < box.xmin || x > box.xmax || y < box.ymin || y > box.ymax)
      return `a point outside the box: ${x},${y} not in ${JSON.stringify(box)}`;
    if (typeof f.attributes?.name !== 'string' || typeof f.attributes.capacity !== 'number')
      return `a feature without its attributes: ${JSON.stringify(f)}`;
  }
  const exceeded = json.exceededTransferLimit === true;
  if (exceeded !== e.inBox > RECORD_COUNT)
    return `exceededTransferLimit ${json.exceededTransferLimit} for a box holding ${e.inBox}`;
  return null;
}
