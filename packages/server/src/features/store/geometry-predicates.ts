/**
 * Exact spatial predicates on GeoServices geometries, for a store's candidates after its
 * envelope prefilter. Boundaries count (closed sets): a point on a polygon's edge intersects it.
 * Polygon interiors follow the even-odd rule over all rings, so holes work whatever the ring
 * orientation.
 */
import type { Envelope, EsriGeometry } from '../plan.ts';

type Pt = number[];

/** A geometry taken apart: lone points, segments (as vertex lists), and rings enclosing area. */
interface Parts {
  points: Pt[];
  lines: Pt[][];
  rings: Pt[][];
  env: Envelope;
}

function partsOf(g: EsriGeometry): Parts {
  const env = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity };
  const grow = (p: Pt) => {
    if (p[0]! < env.xmin) env.xmin = p[0]!;
    if (p[0]! > env.xmax) env.xmax = p[0]!;
    if (p[1]! < env.ymin) env.ymin = p[1]!;
    if (p[1]! > env.ymax) env.ymax = p[1]!;
  };
  const out: Parts = { points: [], lines: [], rings: [], env };
  if ('x' in g) out.points.push([g.x, g.y]);
  else if ('points' in g) out.points.push(...g.points);
  else if ('paths' in g) out.lines.push(...g.paths);
  else {
    out.rings.push(...g.rings);
    out.lines.push(...g.rings);
  }
  for (const p of out.points) grow(p);
  for (const l of out.lines) for (const p of l) grow(p);
  return out;
}

function orient(a: Pt, b: Pt, c: Pt): number {
  const v = (b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function within(a: Pt, b: Pt, p: Pt): boolean {
  return (
    Math.min(a[0]!, b[0]!) <= p[0]! &&
    p[0]! <= Math.max(a[0]!, b[0]!) &&
    Math.min(a[1]!, b[1]!) <= p[1]! &&
    p[1]! <= Math.max(a[1]!, b[1]!)
  );
}

/** Whether segments ab and cd share a point (touching and collinear overlap included). */
export function segmentsIntersect(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && within(a, b, c)) ||
    (o2 === 0 && within(a, b, d)) ||
    (o3 === 0 && within(c, d, a)) ||
    (o4 === 0 && within(c, d, b))
  );
}

function onLine(p: Pt, line: Pt[]): boolean {
  for (let i = 1; i < line.length; i++) {
    if (orient(line[i - 1]!, line[i]!, p) === 0 && within(line[i - 1]!, line[i]!, p)) return true;
  }
  return line.length === 1 && line[0]![0] === p[0] && line[0]![1] === p[1];
}

/** Even-odd point-in-polygon over every ring (holes included); boundary not decided here. */
export function insideRings(p: Pt, rings: Pt[][]): boolean {
  const x = p[0]!;
  const y = p[1]!;
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const yi = ring[i]![1]!;
      const yj = ring[j]![1]!;
      if (yi > y !== yj > y) {
        const xi = ring[i]![0]!;
        const xj = ring[j]![0]!;
        if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

function pointIn(p: Pt, g: Parts): boolean {
  if (p[0]! < g.env.xmin || p[0]! > g.env.xmax || p[1]! < g.env.ymin || p[1]! > g.env.ymax) return false;
  for (const q of g.points) if (q[0] === p[0] && q[1] === p[1]) return true;
  for (const l of g.lines) if (onLine(p, l)) return true;
  return g.rings.length > 0 && insideRings(p, g.rings);
}

function linesCross(a: Parts, b: Parts): boolean {
  for (const la of a.lines) {
    for (let i = 1; i < la.length; i++) {
      const p = la[i - 1]!;
      const q = la[i]!;
      if (Math.max(p[0]!, q[0]!) < b.env.xmin || Math.min(p[0]!, q[0]!) > b.env.xmax) continue;
      if (Math.max(p[1]!, q[1]!) < b.env.ymin || Math.min(p[1]!, q[1]!) > b.env.ymax) continue;
      for (const lb of b.lines) {
        for (let j = 1; j < lb.length; j++) {
          if (segmentsIntersect(p, q, lb[j - 1]!, lb[j]!)) return true;
        }
      }
    }
  }
  return false;
}

/** One representative vertex per part: enough once no boundaries cross. */
function probes(g: Parts): Pt[] {
  return [...g.points, ...g.lines.filter((l) => l.length > 0).map((l) => l[0]!)];
}

function envelopesMeet(a: Envelope, b: Envelope): boolean {
  return a.xmin <= b.xmax && a.xmax >= b.xmin && a.ymin <= b.ymax && a.ymax >= b.ymin;
}

/** A test "does this geometry intersect the query geometry", with the query taken apart once. */
export function prepareIntersects(query: EsriGeometry): (g: EsriGeometry) => boolean {
  const q = partsOf(query);
  return (g) => {
    const f = partsOf(g);
    if (!envelopesMeet(q.env, f.env)) return false;
    if (linesCross(f, q)) return true;
    for (const p of probes(f)) if (pointIn(p, q)) return true;
    for (const p of probes(q)) if (pointIn(p, f)) return true;
    return false;
  };
}

export function intersects(a: EsriGeometry, b: EsriGeometry): boolean {
  return prepareIntersects(a)(b);
}
