/**
 * The features bench's query boxes: random boxes inside the data's extent, sized so that each
 * holds about `perBox` of the evenly spread points, and an index of the points (sorted by x)
 * that says exactly how many points any box holds, the right answer to check a server's by.
 */
import type { Envelope } from '../packages/server/src/features/plan.ts';
import type { Points } from './features-data.ts';

/** Square boxes (in degrees) wholly inside the extent, each of the area that holds `perBox` points on average. */
export function randomBoxes(points: Points, perBox: number, count: number, rand: () => number): Envelope[] {
  const { extent } = points;
  const w = extent.xmax - extent.xmin;
  const h = extent.ymax - extent.ymin;
  const n = points.x.length;
  if (perBox <= 0 || perBox > n) throw new Error(`perBox must be between 1 and ${n}, not ${perBox}`);
  const side = Math.sqrt((perBox / n) * w * h);
  if (side > w || side > h)
    throw new Error(`boxes of ${perBox} of ${n} points (${side.toFixed(3)}°) do not fit the extent`);
  return Array.from({ length: count }, () => {
    const xmin = extent.xmin + rand() * (w - side);
    const ymin = extent.ymin + rand() * (h - side);
    return { xmin, ymin, xmax: xmin + side, ymax: ymin + side };
  });
}

/** Counts the points in a box (edges included) by a binary search on x and a scan of that strip. */
export class PointIndex {
  readonly #xs: Float64Array;
  readonly #ys: Float64Array;

  constructor(points: Points) {
    const order = Uint32Array.from(points.x.keys()).sort((a, b) => points.x[a]! - points.x[b]!);
    this.#xs = Float64Array.from(order, (i) => points.x[i]!);
    this.#ys = Float64Array.from(order, (i) => points.y[i]!);
  }

  /** The first index whose x is ≥ v. */
  #lowerBound(v: number): number {
    let lo = 0;
    let hi = this.#xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#xs[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  count(box: Envelope): number {
    let n = 0;
    for (let i = this.#lowerBound(box.xmin); i < this.#xs.length && this.#xs[i]! <= box.xmax; i++) {
      const y = this.#ys[i]!;
      if (y >= box.ymin && y <= box.ymax) n++;
    }
    return n;
  }
}
