/**
 * Z-order (Morton) keys: a position within a layer's extent mapped to a 2^16 × 2^16 grid and
 * its cell's x and y bits interleaved into one 32-bit integer. Sorting features by the key of
 * their envelope's centre puts features that are close together close together in the sort, at
 * every scale: the SQLite store writes a finished layer's rows in this order so that the rows of
 * a bounding box share pages.
 *
 * The key is computed by SQLite itself, as an SQL expression (zorderSql), while it sorts: an
 * application function called for each of a million rows kept every call's values alive in
 * V8's heap until the statement ended (+100 MB). zorderKey is the same key in TypeScript.
 */
import type { Envelope } from '../plan.ts';

/** Bits per axis. */
const BITS = 16;
const MAX_CELL = 2 ** BITS - 1;

/** The spreading steps: shift, then mask (each bit of a 16-bit value moved to bit 2i). */
const STEPS: [number, number][] = [
  [8, 0x00ff00ff],
  [4, 0x0f0f0f0f],
  [2, 0x33333333],
  [1, 0x55555555],
];

/** Cells per unit of each axis: a layer's centres fall in cells 0 … 2^16 − 1 (one cell on an axis of no width). */
export function zorderScale(extent: Envelope): { x: number; y: number } {
  const w = extent.xmax - extent.xmin;
  const h = extent.ymax - extent.ymin;
  return { x: w > 0 ? MAX_CELL / w : 0, y: h > 0 ? MAX_CELL / h : 0 };
}

function spread(v: number): number {
  let s = v;
  for (const [shift, mask] of STEPS) s = (s | (s << shift)) & mask;
  return s;
}

/** The key of a position within `extent` (which holds it). */
export function zorderKey(x: number, y: number, extent: Envelope): number {
  const scale = zorderScale(extent);
  const cx = Math.trunc((x - extent.xmin) * scale.x) & MAX_CELL;
  const cy = Math.trunc((y - extent.ymin) * scale.y) & MAX_CELL;
  return (spread(cx) | (spread(cy) << 1)) >>> 0;
}

/** SQL spreading the bits of an integer expression in 0 … 2^16 − 1. */
function spreadSql(v: string): string {
  let s = v;
  for (const [shift, mask] of STEPS) s = `((${s}) | ((${s}) << ${shift})) & ${mask}`;
  return s;
}

/**
 * The key as SQL over expressions x and y (NULL when either is): `params` are SQL placeholders
 * for the extent's xmin and ymin and for zorderScale's x and y, in that order.
 */
export function zorderSql(x: string, y: string, params: [string, string, string, string]): string {
  const [xmin, ymin, sx, sy] = params;
  const cx = `CAST(((${x}) - ${xmin}) * ${sx} AS INTEGER) & ${MAX_CELL}`;
  const cy = `CAST(((${y}) - ${ymin}) * ${sy} AS INTEGER) & ${MAX_CELL}`;
  return `(${spreadSql(cx)}) | ((${spreadSql(cy)}) << 1)`;
}
