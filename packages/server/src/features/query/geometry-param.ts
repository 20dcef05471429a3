import type { Envelope, EsriGeometry } from '../plan.ts';
import { badQuery } from './errors.ts';
import { clip, wkidOf } from './spatial-reference.ts';

/**
 * The `geometry` parameter with its `geometryType`: GeoServices JSON (envelope, point,
 * multipoint, polyline, polygon) or the short forms "xmin,ymin,xmax,ymax" and "x,y". Refuses
 * what no real client sends: NaN/Infinity, empty parts, inverted envelopes, more than
 * MAX_VERTICES vertices, and JSON that does not match the geometry type.
 */

export const MAX_VERTICES = 100_000;

export const GEOMETRY_TYPES = [
  'esriGeometryEnvelope',
  'esriGeometryPoint',
  'esriGeometryMultipoint',
  'esriGeometryPolyline',
  'esriGeometryPolygon',
] as const;
export type InputGeometryType = (typeof GEOMETRY_TYPES)[number];

export type InputGeometry =
  | { kind: 'envelope'; envelope: Envelope }
  | { kind: 'geometry'; geometry: EsriGeometry };

export interface ParsedGeometry {
  shape: InputGeometry;
  /** The spatial reference the geometry JSON itself names, if any. */
  wkid?: number;
}

/** Parses `geometry` (non-empty) with `geometryType` (undefined: inferred from the shape, else envelope). */
export function parseGeometryParam(raw: string, typeParam: string | undefined): ParsedGeometry {
  const declared = parseGeometryType(typeParam);
  const text = raw.trim();
  if (!text.startsWith('{')) return { shape: shortForm(text, declared) };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badQuery('geometry', `not valid JSON: '${clip(text)}'`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw badQuery('geometry', 'expected a geometry object such as {"xmin":…,"ymin":…,"xmax":…,"ymax":…}');
  }
  const o = json as Record<string, unknown>;
  const type = declared ?? inferType(o);
  const shape = fromJson(o, type);
  const wkid = wkidOf(o.spatialReference);
  return wkid === undefined ? { shape } : { shape, wkid };
}

function parseGeometryType(raw: string | undefined): InputGeometryType | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const found = GEOMETRY_TYPES.find((t) => t.toLowerCase() === raw.trim().toLowerCase());
  if (!found) throw badQuery('geometryType', `'${clip(raw)}' is not one of ${GEOMETRY_TYPES.join(', ')}`);
  return found;
}

function inferType(o: Record<string, unknown>): InputGeometryType {
  if ('rings' in o) return 'esriGeometryPolygon';
  if ('paths' in o) return 'esriGeometryPolyline';
  if ('points' in o) return 'esriGeometryMultipoint';
  if ('x' in o) return 'esriGeometryPoint';
  return 'esriGeometryEnvelope';
}

function shortForm(text: string, declared: InputGeometryType | undefined): InputGeometry {
  if (text.startsWith('[')) {
    throw badQuery('geometry', 'expected a geometry object such as {"xmin":…,"ymin":…,"xmax":…,"ymax":…}');
  }
  const parts = text.split(',').map((p) => p.trim());
  const type = declared ?? (parts.length === 2 ? 'esriGeometryPoint' : 'esriGeometryEnvelope');
  const names =
    type === 'esriGeometryEnvelope' && parts.length === 4
      ? ['xmin', 'ymin', 'xmax', 'ymax']
      : type === 'esriGeometryPoint' && parts.length === 2
        ? ['x', 'y']
        : undefined;
  if (!names) {
    throw badQuery(
      'geometry',
      `expected JSON, "xmin,ymin,xmax,ymax" for an envelope or "x,y" for a point, found '${clip(text)}'`,
    );
  }
  const nums = parts.map((p, i) => {
    const n = p === '' ? Number.NaN : Number(p);
    if (!Number.isFinite(n))
      throw badQuery('geometry', `${names[i]} must be a finite number, found '${clip(p)}'`);
    return n;
  });
  if (names.length === 2) return { kind: 'geometry', geometry: { x: nums[0]!, y: nums[1]! } };
  return envelope({ xmin: nums[0]!, ymin: nums[1]!, xmax: nums[2]!, ymax: nums[3]! });
}

function fromJson(o: Record<string, unknown>, type: InputGeometryType): InputGeometry {
  switch (type) {
    case 'esriGeometryEnvelope': {
      for (const k of ['xmin', 'ymin', 'xmax', 'ymax']) {
        if (!(k in o))
          throw badQuery('geometry', `an envelope needs xmin, ymin, xmax and ymax; '${k}' is missing`);
      }
      return envelope({
        xmin: finite(o.xmin, 'xmin'),
        ymin: finite(o.ymin, 'ymin'),
        xmax: finite(o.xmax, 'xmax'),
        ymax: finite(o.ymax, 'ymax'),
      });
    }
    case 'esriGeometryPoint':
      if (!('x' in o) || !('y' in o)) throw badQuery('geometry', 'a point needs x and y');
      return { kind: 'geometry', geometry: { x: finite(o.x, 'x'), y: finite(o.y, 'y') } };
    case 'esriGeometryMultipoint': {
      const counter = { n: 0 };
      const points = positions(o.points, 'points', 1, counter);
      return { kind: 'geometry', geometry: { points } };
    }
    case 'esriGeometryPolyline': {
      const counter = { n: 0 };
      const paths = parts(o.paths, 'paths', (p, i) => positions(p, `paths[${i}]`, 2, counter));
      return { kind: 'geometry', geometry: { paths } };
    }
    case 'esriGeometryPolygon': {
      const counter = { n: 0 };
      const rings = parts(o.rings, 'rings', (r, i) => closeRing(positions(r, `rings[${i}]`, 3, counter), i));
      return { kind: 'geometry', geometry: { rings } };
    }
  }
}

function envelope(e: Envelope): InputGeometry {
  if (e.xmin > e.xmax || e.ymin > e.ymax) {
    throw badQuery(
      'geometry',
      `the envelope is inverted (xmin ${e.xmin} > xmax ${e.xmax} or ymin ${e.ymin} > ymax ${e.ymax})`,
    );
  }
  return { kind: 'envelope', envelope: e };
}

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw badQuery(
      'geometry',
      `${what} must be a finite number, found ${clip(JSON.stringify(v) ?? String(v))}`,
    );
  }
  return v;
}

function parts(v: unknown, what: string, each: (part: unknown, i: number) => number[][]): number[][][] {
  if (!Array.isArray(v) || v.length === 0) throw badQuery('geometry', `${what} must be a non-empty array`);
  return v.map(each);
}

function positions(v: unknown, what: string, min: number, counter: { n: number }): number[][] {
  if (!Array.isArray(v) || v.length < min) {
    throw badQuery('geometry', `${what} must be an array of at least ${min} [x, y] positions`);
  }
  counter.n += v.length;
  if (counter.n > MAX_VERTICES) throw badQuery('geometry', `more than ${MAX_VERTICES} vertices`);
  return v.map((p, i) => {
    if (!Array.isArray(p) || p.length < 2)
      throw badQuery('geometry', `${what}[${i}] must be an [x, y] position`);
    return [finite(p[0], `${what}[${i}] x`), finite(p[1], `${what}[${i}] y`)];
  });
}

function closeRing(ring: number[][], i: number): number[][] {
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  const closed = first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
  const distinct = new Set(closed.map(([x, y]) => `${x},${y}`));
  if (distinct.size < 3) throw badQuery('geometry', `rings[${i}] needs at least 3 distinct positions`);
  return closed;
}
