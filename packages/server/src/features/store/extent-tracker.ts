/** The running extent and count of a layer while it is written. */
import type { Envelope } from '../plan.ts';

export class ExtentTracker {
  count = 0;
  #env: Envelope | null = null;

  add(e: Envelope | null): void {
    this.count++;
    if (!e) return;
    const x = this.#env;
    if (!x) this.#env = { ...e };
    else {
      if (e.xmin < x.xmin) x.xmin = e.xmin;
      if (e.ymin < x.ymin) x.ymin = e.ymin;
      if (e.xmax > x.xmax) x.xmax = e.xmax;
      if (e.ymax > x.ymax) x.ymax = e.ymax;
    }
  }

  get extent(): Envelope | null {
    return this.#env && { ...this.#env };
  }
}
