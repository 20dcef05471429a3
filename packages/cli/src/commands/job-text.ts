import type { Job } from '@meridian/server/kernel/jobs/job.ts';

export const isoTime = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/** "3/40 (7%) row 3 of 40", or the count alone when the total is unknown. */
export function progressText(j: Job): string {
  const p = j.progress;
  const count = p.total ? `${p.done}/${p.total} (${Math.floor((p.done / p.total) * 100)}%)` : `${p.done}`;
  return p.message ? `${count} ${p.message}` : count;
}
