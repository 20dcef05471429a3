import type { EsriGeometry } from '../plan.ts';

/**
 * GeoServices geometries as GeoJSON (RFC 7946) geometries. Esri polygons are a flat list of
 * rings; GeoJSON groups them into polygons. Rings are grouped by containment (a ring inside an
 * odd number of others is a hole of the smallest one around it, so islands in lakes become
 * polygons of their own), which does not rely on the ring order or orientation of the input;
 * exteriors are then written counterclockwise and holes clockwise, as RFC 7946 §3.1.6 asks.
 */

export type GeoJsonGeometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'MultiPoint'; coordinates: number[][] }
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString'; coordinates: number[][][] }
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

export function toGeoJsonGeometry(g: EsriGeometry | null): GeoJsonGeometry | null {
  if (g === null) return null;
  if ('x' in g) return { type: 'Point', coordinates: [g.x, g.y] };
  if ('points' in g) return { type: 'MultiPoint', coordinates: g.points };
  if ('paths' in g) {
    return g.paths.length === 1
      ? { type: 'LineString', coordinates: g.paths[0]! }
      : { type: 'MultiLineString', coordinates: g.paths };
  }
  const polygons = groupRings(g.rings);
  if (polygons.length === 0) return null;
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0]! }
    : { type: 'MultiPolygon', coordinates: polygons };
}

/** Twice the signed area of a ring: positive when counterclockwise (y up). */
export function signedArea2(ring: number[][]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  }
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) sum += last[0]! * first[1]! - first[0]! * last[1]!;
  return sum;
}

/** Whether a point lies inside a ring (even-odd rule). */
export function insideRing(x: number, y: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Groups Esri rings into GeoJSON polygons (exterior first, then its holes), oriented per RFC 7946. */
export function groupRings(rings: number[][][]): number[][][][] {
  const items = rings
    .filter((r) => r.length >= 4)
    .map((ring) => ({ ring: closed(ring), area: Math.abs(signedArea2(ring)) }))
    .sort((a, b) => b.area - a.area);
  const polygons: { outer: number[][]; area: number; holes: number[][][] }[] = [];
  const placed: { ring: number[][]; area: number; hole: boolean; owner: number }[] = [];
  for (const it of items) {
    // The rings around this one, smallest last (items come largest first).
    const probe = interiorProbe(it.ring);
    const around = placed.filter((p) => p.area > 0 && insideRing(probe[0], probe[1], p.ring));
    const depth = around.length;
    const parent = around[around.length - 1];
    if (depth % 2 === 1 && parent && !parent.hole) {
      polygons[parent.owner]!.holes.push(orient(it.ring, false));
      placed.push({ ring: it.ring, area: it.area, hole: true, owner: parent.owner });
    } else {
      polygons.push({ outer: orient(it.ring, true), area: it.area, holes: [] });
      placed.push({ ring: it.ring, area: it.area, hole: false, owner: polygons.length - 1 });
    }
  }
  return polygons.map((p) => [p.outer, ...p.holes]);
}

/** A vertex of the ring to test containment with (the first one; rings of a valid polygon do not cross). */
function interiorProbe(ring: number[][]): [number, number] {
  return [ring[0]![0]!, ring[0]![1]!];
}

function closed(ring: number[][]): number[][] {
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  return first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
}

/** The ring counterclockwise (exterior) or clockwise (hole). */
function orient(ring: number[][], ccw: boolean): number[][] {
  return signedArea2(ring) > 0 === ccw ? ring : [...ring].reverse();
}
