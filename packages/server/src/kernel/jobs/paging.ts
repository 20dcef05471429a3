/** A page of a listing in the ArcGIS shape: 1-based start, nextStart -1 on the last page. */
export interface PageEnvelope {
  total: number;
  start: number;
  num: number;
  nextStart: number;
}

export function pageEnvelope(total: number, start: number, num: number): PageEnvelope {
  return { total, start, num, nextStart: num > 0 && start + num <= total ? start + num : -1 };
}
