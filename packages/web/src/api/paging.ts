/** The paging fields of a listing (1-based `start`; `nextStart` is -1 on the last page). */
export interface PageEnvelope {
  total: number;
  start: number;
  num: number;
  nextStart: number;
}
