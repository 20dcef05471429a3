/**
 * Checks a feature's geometry against its layer's geometry type (shape, finite numbers, at
 * least the vertices a part needs), drops z/m values, and computes its envelope.
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Envelope, EsriGeometry, GeometryType } from '../plan.ts';
import { InvalidFeature } from './errors.ts';

function bad(index: number, what: string): never {
  throw new MeridianError(InvalidFeature, `Feature ${index}: ${what}.`);
}

function xy(p: unknown, index: number): number[] {
  if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
    bad(index, 'a coordinate is not a pair of finite numbers');
  }
  return p.length === 2 ? (p as number[]) : [p[0] as number, p[1] as number];
}

function parts(list: unknown, index: number, min: number, name: string): number[][][] {
  if (!Array.isArray(list) || list.length === 0) bad(index, `${name} is empty or not an array`);
  return list.map((part) => {
    if (!Array.isArray(part) || part.length < min)
      bad(index, `a part of ${name} has fewer than ${min} vertices`);
    return part.map((p) => xy(p, index));
  });
}

/** The geometry in the layer's shape (z dropped), or null; throws features.invalid_feature. */
export function checkGeometry(
  g: EsriGeometry | null | undefined,
  type: GeometryType | null,
  index: number,
): EsriGeometry | null {
  if (g === null || g === undefined) return null;
  if (type === null) bad(index, 'a table has no geometry, yet the feature has one');
  const o = g as Record<string, unknown>;
  switch (type) {
    case 'esriGeometryPoint':
      if (!Number.isFinite(o.x) || !Number.isFinite(o.y)) bad(index, 'a point needs finite x and y');
      return { x: o.x as number, y: o.y as number };
    case 'esriGeometryMultipoint':
      if (!Array.isArray(o.points) || o.points.length === 0) bad(index, 'a multipoint needs points');
      return { points: (o.points as unknown[]).map((p) => xy(p, index)) };
    case 'esriGeometryPolyline':
      return { paths: parts(o.paths, index, 2, 'paths') };
    case 'esriGeometryPolygon':
      return { rings: parts(o.rings, index, 4, 'rings') };
  }
}

/** The envelope of a checked geometry. */
export function envelopeOf(g: EsriGeometry): Envelope {
  if ('x' in g) return { xmin: g.x, ymin: g.y, xmax: g.x, ymax: g.y };
  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -Infinity;
  let ymax = -Infinity;
  const add = (p: number[]) => {
    const x = p[0]!;
    const y = p[1]!;
    if (x < xmin) xmin = x;
    if (x > xmax) xmax = x;
    if (y < ymin) ymin = y;
    if (y > ymax) ymax = y;
  };
  if ('points' in g) for (const p of g.points) add(p);
  else for (const part of 'paths' in g ? g.paths : g.rings) for (const p of part) add(p);
  return { xmin, ymin, xmax, ymax };
}
