/**
 * When a spatial filter's envelope test is already its exact test: a point layer queried with
 * a geometry that is exactly its own envelope (a box sent as esriGeometryEnvelope, in the
 * layer's spatial reference, arrives as the rectangle's one ring). Points on the box's edges
 * intersect under both tests (closed sets), so the store can skip the per-row exact test.
 */
import type { EsriGeometry, GeometryType, SpatialFilter } from '../plan.ts';

/** The filter to run: `envelope-intersects` where that answers the same rows, else the filter itself. */
export function simplestFilter(type: GeometryType | null, s: SpatialFilter): SpatialFilter {
  if (s.rel !== 'intersects' || type !== 'esriGeometryPoint' || !isItsEnvelope(s)) return s;
  return { ...s, rel: 'envelope-intersects' };
}

/** One ring going once around the four corners of the envelope (consecutive repeats allowed). */
function isItsEnvelope(s: SpatialFilter): boolean {
  const g: EsriGeometry = s.geometry;
  if (!('rings' in g) || g.rings.length !== 1) return false;
  const e = s.envelope;
  const corners: string[] = [];
  for (const p of g.rings[0]!) {
    const x = p[0];
    const y = p[1];
    if ((x !== e.xmin && x !== e.xmax) || (y !== e.ymin && y !== e.ymax)) return false;
    const c = `${x === e.xmin ? 0 : 1}${y === e.ymin ? 0 : 1}`;
    if (corners[corners.length - 1] !== c) corners.push(c);
  }
  // Closed, and 4 distinct corners visited in turn: each step changes one coordinate only.
  if (corners.length !== 5 || corners[0] !== corners[4]) return false;
  if (new Set(corners).size !== 4) return false;
  for (let i = 1; i < 5; i++) {
    const a = corners[i - 1]!;
    const b = corners[i]!;
    if ((a[0] !== b[0]) === (a[1] !== b[1])) return false;
  }
  return e.xmin < e.xmax && e.ymin < e.ymax;
}
