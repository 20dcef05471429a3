import type { Envelope, EsriGeometry } from '../plan.ts';
import { badQuery } from './errors.ts';
import { canonicalWkid, PROJECTABLE, WEB_MERCATOR, WGS84 } from './spatial-reference.ts';

/**
 * Projections between WGS84 (4326) and spherical Web Mercator (3857): points, whole GeoServices
 * geometries and envelopes (edges densified so the projected box still covers the original).
 * The same spatial reference on both sides is the identity; any other pair is a 400.
 */

const R = 6_378_137;
/** The latitude where Web Mercator is square: forward projection clamps to ±this. */
export const MAX_MERCATOR_LAT = 85.0511287798066;
const DEG = Math.PI / 180;

export type Project = (x: number, y: number) => [number, number];

export function toMercator(lon: number, lat: number): [number, number] {
  const phi = Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat)) * DEG;
  return [R * lon * DEG, R * Math.log(Math.tan(Math.PI / 4 + phi / 2))];
}

export function toWgs84(x: number, y: number): [number, number] {
  return [x / R / DEG, (2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) / DEG];
}

/** The point projection from one wkid to another; undefined for the identity. Throws for an unsupported pair. */
export function projector(fromWkid: number, toWkid: number, param = 'outSR'): Project | undefined {
  const from = canonicalWkid(fromWkid);
  const to = canonicalWkid(toWkid);
  if (from === to) return undefined;
  if (from === WGS84 && to === WEB_MERCATOR) return toMercator;
  if (from === WEB_MERCATOR && to === WGS84) return toWgs84;
  const bad = (PROJECTABLE as readonly number[]).includes(from) ? to : from;
  throw badQuery(
    param,
    `spatial reference ${bad} is not supported; the supported ones are 4326, 3857 (102100)`,
  );
}

/** Projects a geometry; the identity answers the same object. */
export function projectGeometry(
  g: EsriGeometry,
  fromWkid: number,
  toWkid: number,
  param?: string,
): EsriGeometry {
  const p = projector(fromWkid, toWkid, param);
  if (!p) return g;
  const pt = (c: number[]): number[] => [...p(c[0]!, c[1]!), ...c.slice(2)];
  if ('x' in g) {
    const [x, y] = p(g.x, g.y);
    return { x, y };
  }
  if ('points' in g) return { points: g.points.map(pt) };
  if ('paths' in g) return { paths: g.paths.map((path) => path.map(pt)) };
  return { rings: g.rings.map((ring) => ring.map(pt)) };
}

/** Points along the edges of an envelope, `perEdge` segments per edge, closed (a ring). */
export function envelopeRing(e: Envelope, perEdge = 1): number[][] {
  const ring: number[][] = [];
  const corners = [
    [e.xmin, e.ymin],
    [e.xmin, e.ymax],
    [e.xmax, e.ymax],
    [e.xmax, e.ymin],
  ];
  for (let c = 0; c < 4; c++) {
    const [x0, y0] = corners[c]!;
    const [x1, y1] = corners[(c + 1) % 4]!;
    for (let k = 0; k < perEdge; k++) {
      const t = k / perEdge;
      ring.push([x0! + (x1! - x0!) * t, y0! + (y1! - y0!) * t]);
    }
  }
  ring.push([e.xmin, e.ymin]);
  return ring;
}

/** Projects an envelope by densifying its edges and taking the box around them. */
export function projectEnvelope(e: Envelope, fromWkid: number, toWkid: number, param?: string): Envelope {
  const p = projector(fromWkid, toWkid, param);
  if (!p) return e;
  return boundsOf(envelopeRing(e, 16).map(([x, y]) => p(x!, y!)));
}

/** The box around some points (at least one). */
export function boundsOf(points: Iterable<number[]>): Envelope {
  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -Infinity;
  let ymax = -Infinity;
  for (const [x, y] of points) {
    if (x! < xmin) xmin = x!;
    if (x! > xmax) xmax = x!;
    if (y! < ymin) ymin = y!;
    if (y! > ymax) ymax = y!;
  }
  return { xmin, ymin, xmax, ymax };
}

/** Every vertex of a geometry. */
export function* verticesOf(g: EsriGeometry): Generator<number[]> {
  if ('x' in g) yield [g.x, g.y];
  else if ('points' in g) yield* g.points;
  else if ('paths' in g) for (const p of g.paths) yield* p;
  else for (const r of g.rings) yield* r;
}
