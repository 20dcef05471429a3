/**
 * GeoJSON geometries to GeoServices ones, checked: positions are finite numbers (longitude and
 * latitude in range for WGS 84), lines have two positions, rings are closed (closed for you
 * when the last position is missing) with at least four, and polygon rings are wound as
 * GeoServices wants them (outer clockwise, holes counter-clockwise).
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { EsriGeometry, GeometryType } from '../plan.ts';
import { BadGeojson } from './errors.ts';
import { featureLabel } from './feature-label.ts';

export type Family = 'point' | 'multipoint' | 'polyline' | 'polygon';

export const FAMILY_TYPES: Record<Family, GeometryType> = {
  point: 'esriGeometryPoint',
  multipoint: 'esriGeometryMultipoint',
  polyline: 'esriGeometryPolyline',
  polygon: 'esriGeometryPolygon',
};

const FAMILIES: Record<string, Family> = {
  Point: 'point',
  MultiPoint: 'multipoint',
  LineString: 'polyline',
  MultiLineString: 'polyline',
  Polygon: 'polygon',
  MultiPolygon: 'polygon',
};

class Checker {
  readonly index: number;
  readonly geographic: boolean;
  constructor(index: number, geographic: boolean) {
    this.index = index;
    this.geographic = geographic;
  }
  fail(what: string): never {
    throw new MeridianError(BadGeojson, `${featureLabel(this.index)}: ${what}.`);
  }
  array(v: unknown, what: string): unknown[] {
    if (!Array.isArray(v)) this.fail(`${what} is not an array`);
    return v;
  }
  position(v: unknown): number[] {
    const p = this.array(v, 'a position');
    if (p.length < 2) this.fail('a position has fewer than two numbers');
    const x = p[0];
    const y = p[1];
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
      this.fail(`position [${String(x)}, ${String(y)}] is not a pair of finite numbers`);
    }
    if (this.geographic && (x < -180 || x > 180)) this.fail(`longitude ${x} is outside -180..180`);
    if (this.geographic && (y < -90 || y > 90)) this.fail(`latitude ${y} is outside -90..90`);
    return [x, y];
  }
  line(v: unknown): number[][] {
    const l = this.array(v, 'a line').map((p) => this.position(p));
    if (l.length < 2) this.fail('a line has fewer than two positions');
    return l;
  }
  ring(v: unknown, outer: boolean): number[][] {
    const r = this.array(v, 'a ring').map((p) => this.position(p));
    const a = r[0];
    const b = r[r.length - 1];
    if (a && b && (a[0] !== b[0] || a[1] !== b[1])) r.push([a[0]!, a[1]!]);
    if (r.length < 4) this.fail('a polygon ring has fewer than four positions');
    // Shoelace: positive is clockwise in x-right, y-up coordinates.
    let s = 0;
    for (let i = 1; i < r.length; i++) s += (r[i]![0]! - r[i - 1]![0]!) * (r[i]![1]! + r[i - 1]![1]!);
    if (s > 0 !== outer) r.reverse();
    return r;
  }
  polygon(v: unknown): number[][][] {
    const rings = this.array(v, 'a polygon');
    if (rings.length === 0) this.fail('a polygon has no rings');
    return rings.map((r, i) => this.ring(r, i === 0));
  }
}

/** The geometry's family (or null), without converting it: for the first pass. */
export function geometryFamily(g: unknown, index: number): Family | null {
  if (g === null || g === undefined) return null;
  const type = (g as { type?: unknown }).type;
  const family = typeof type === 'string' ? FAMILIES[type] : undefined;
  if (!family) {
    throw new MeridianError(
      BadGeojson,
      `${featureLabel(index)}: geometry type ${JSON.stringify(type)} is not supported (Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon).`,
    );
  }
  return family;
}

/** Converts and checks a GeoJSON geometry; `family` is the layer's (a Point in a multipoint layer becomes one). */
export function toEsriGeometry(
  g: unknown,
  index: number,
  family: Family,
  geographic: boolean,
): EsriGeometry | null {
  if (g === null || g === undefined) return null;
  const c = new Checker(index, geographic);
  const o = g as { type: string; coordinates?: unknown };
  const coords = o.coordinates;
  switch (o.type) {
    case 'Point': {
      const p = c.position(coords);
      return family === 'multipoint' ? { points: [p] } : { x: p[0]!, y: p[1]! };
    }
    case 'MultiPoint': {
      const points = c.array(coords, 'coordinates').map((p) => c.position(p));
      if (points.length === 0) c.fail('a MultiPoint has no positions');
      return { points };
    }
    case 'LineString':
      return { paths: [c.line(coords)] };
    case 'MultiLineString': {
      const paths = c.array(coords, 'coordinates').map((l) => c.line(l));
      if (paths.length === 0) c.fail('a MultiLineString has no lines');
      return { paths };
    }
    case 'Polygon':
      return { rings: c.polygon(coords) };
    case 'MultiPolygon': {
      const polys = c.array(coords, 'coordinates');
      if (polys.length === 0) c.fail('a MultiPolygon has no polygons');
      return { rings: polys.flatMap((p) => c.polygon(p)) };
    }
    default:
      return c.fail(`geometry type ${JSON.stringify(o.type)} is not supported`);
  }
}
