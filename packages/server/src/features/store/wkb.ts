/**
 * GeoServices geometries to and from OGC well-known binary, for the PostGIS store: points,
 * multipoints, polylines as MultiLineString, polygons as MultiPolygon (the rings grouped into
 * outer rings and their holes by nesting). Reading flattens back to x/y, points, paths, rings.
 */
import type { EsriGeometry } from '../plan.ts';
import { insideRings } from './geometry-predicates.ts';

type Ring = number[][];

function signedArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return a / 2;
}

/** Groups rings into polygons (outer ring first, then its holes) by how deeply each is nested. */
export function ringsToPolygons(rings: Ring[]): Ring[][] {
  const byArea = rings
    .map((ring) => ({ ring, area: Math.abs(signedArea(ring)), depth: 0, polygon: -1 }))
    .sort((a, b) => b.area - a.area);
  const polygons: Ring[][] = [];
  byArea.forEach((r, i) => {
    // The smallest ring already placed that contains this one's first vertex is its parent.
    let parent = -1;
    for (let j = i - 1; j >= 0; j--) {
      if (insideRings(r.ring[0]!, [byArea[j]!.ring])) {
        parent = j;
        break;
      }
    }
    const p = parent >= 0 ? byArea[parent]! : undefined;
    r.depth = p ? p.depth + 1 : 0;
    if (r.depth % 2 === 0) {
      r.polygon = polygons.length;
      polygons.push([r.ring]);
    } else {
      r.polygon = p!.polygon;
      polygons[r.polygon]!.push(r.ring);
    }
  });
  return polygons;
}

class Writer {
  readonly buf: Buffer;
  at = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  header(type: number): void {
    this.buf.writeUInt8(1, this.at);
    this.buf.writeUInt32LE(type, this.at + 1);
    this.at += 5;
  }
  u32(n: number): void {
    this.buf.writeUInt32LE(n, this.at);
    this.at += 4;
  }
  pt(p: number[]): void {
    this.buf.writeDoubleLE(p[0]!, this.at);
    this.buf.writeDoubleLE(p[1]!, this.at + 8);
    this.at += 16;
  }
  line(l: number[][]): void {
    this.u32(l.length);
    for (const p of l) this.pt(p);
  }
}

export function toWkb(g: EsriGeometry): Buffer {
  if ('x' in g) {
    const w = new Writer(21);
    w.header(1);
    w.pt([g.x, g.y]);
    return w.buf;
  }
  if ('points' in g) {
    const w = new Writer(9 + g.points.length * 21);
    w.header(4);
    w.u32(g.points.length);
    for (const p of g.points) {
      w.header(1);
      w.pt(p);
    }
    return w.buf;
  }
  if ('paths' in g) {
    let size = 9;
    for (const l of g.paths) size += 9 + l.length * 16;
    const w = new Writer(size);
    w.header(5);
    w.u32(g.paths.length);
    for (const l of g.paths) {
      w.header(2);
      w.line(l);
    }
    return w.buf;
  }
  const polygons = ringsToPolygons(g.rings);
  let size = 9;
  for (const poly of polygons) {
    size += 9;
    for (const r of poly) size += 4 + r.length * 16;
  }
  const w = new Writer(size);
  w.header(6);
  w.u32(polygons.length);
  for (const poly of polygons) {
    w.header(3);
    w.u32(poly.length);
    for (const r of poly) w.line(r);
  }
  return w.buf;
}

class Reader {
  readonly buf: Buffer;
  at = 0;
  le = true;
  constructor(buf: Buffer) {
    this.buf = buf;
  }
  header(): number {
    this.le = this.buf.readUInt8(this.at) === 1;
    const t = this.le ? this.buf.readUInt32LE(this.at + 1) : this.buf.readUInt32BE(this.at + 1);
    this.at += 5;
    // EWKB flags (SRID, Z, M) are not expected from ST_AsBinary; the low digits name the type.
    return (t & 0xffff) % 1000;
  }
  u32(): number {
    const n = this.le ? this.buf.readUInt32LE(this.at) : this.buf.readUInt32BE(this.at);
    this.at += 4;
    return n;
  }
  pt(): number[] {
    const x = this.le ? this.buf.readDoubleLE(this.at) : this.buf.readDoubleBE(this.at);
    const y = this.le ? this.buf.readDoubleLE(this.at + 8) : this.buf.readDoubleBE(this.at + 8);
    this.at += 16;
    return [x, y];
  }
  line(): number[][] {
    const n = this.u32();
    const out: number[][] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.pt();
    return out;
  }
}

export function fromWkb(buf: Buffer): EsriGeometry {
  const r = new Reader(buf);
  const type = r.header();
  switch (type) {
    case 1: {
      const [x, y] = r.pt();
      return { x: x!, y: y! };
    }
    case 2:
      return { paths: [r.line()] };
    case 3: {
      const n = r.u32();
      const rings: number[][][] = [];
      for (let i = 0; i < n; i++) rings.push(r.line());
      return { rings };
    }
    case 4: {
      const n = r.u32();
      const points: number[][] = [];
      for (let i = 0; i < n; i++) {
        r.header();
        points.push(r.pt());
      }
      return { points };
    }
    case 5: {
      const n = r.u32();
      const paths: number[][][] = [];
      for (let i = 0; i < n; i++) {
        r.header();
        paths.push(r.line());
      }
      return { paths };
    }
    case 6: {
      const n = r.u32();
      const rings: number[][][] = [];
      for (let i = 0; i < n; i++) {
        r.header();
        const m = r.u32();
        for (let j = 0; j < m; j++) rings.push(r.line());
      }
      return { rings };
    }
    default:
      throw new Error(`unexpected WKB geometry type ${type}`);
  }
}
