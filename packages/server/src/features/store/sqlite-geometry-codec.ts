/**
 * The compact binary form of geometries in the SQLite store: float64 values, little-endian as
 * the machine writes them. Points are not encoded at all (their x/y are the row's envelope
 * columns). Multipoint: [n, x0, y0, …]. Polyline and polygon: [parts, len0, len1, …, x, y, …].
 */
import type { EsriGeometry, GeometryType } from '../plan.ts';

export function encodeGeometry(g: EsriGeometry): Uint8Array | null {
  if ('x' in g) return null;
  if ('points' in g) {
    const out = new Float64Array(1 + g.points.length * 2);
    out[0] = g.points.length;
    let i = 1;
    for (const p of g.points) {
      out[i++] = p[0]!;
      out[i++] = p[1]!;
    }
    return new Uint8Array(out.buffer);
  }
  const parts = 'paths' in g ? g.paths : g.rings;
  let n = 1 + parts.length;
  for (const part of parts) n += part.length * 2;
  const out = new Float64Array(n);
  out[0] = parts.length;
  let i = 1;
  for (const part of parts) out[i++] = part.length;
  for (const part of parts) {
    for (const p of part) {
      out[i++] = p[0]!;
      out[i++] = p[1]!;
    }
  }
  return new Uint8Array(out.buffer);
}

function floats(blob: Uint8Array): Float64Array {
  if (blob.byteOffset % 8 === 0) return new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength / 8);
  return new Float64Array(blob.slice().buffer);
}

export function decodeGeometry(
  type: GeometryType,
  blob: Uint8Array | null,
  x: number | null,
  y: number | null,
): EsriGeometry | null {
  if (type === 'esriGeometryPoint') return x === null || y === null ? null : { x, y };
  if (blob === null) return null;
  const f = floats(blob);
  if (type === 'esriGeometryMultipoint') {
    const points: number[][] = new Array(f[0]!);
    for (let i = 0, j = 1; i < points.length; i++, j += 2) points[i] = [f[j]!, f[j + 1]!];
    return { points };
  }
  const count = f[0]!;
  const parts: number[][][] = new Array(count);
  let j = 1 + count;
  for (let p = 0; p < count; p++) {
    const len = f[1 + p]!;
    const part: number[][] = new Array(len);
    for (let i = 0; i < len; i++, j += 2) part[i] = [f[j]!, f[j + 1]!];
    parts[p] = part;
  }
  return type === 'esriGeometryPolyline' ? { paths: parts } : { rings: parts };
}
