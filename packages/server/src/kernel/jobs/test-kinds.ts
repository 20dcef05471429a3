/** Kinds of job for the jobs tests (in-process and in the child process of test-node.ts). */
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobHandler } from './job.ts';

export interface CountInput {
  total: number;
  /** Pause after each row (ms). */
  stepMs: number;
}

/** Counts rows with a pause after each, reporting progress per row; resumes where it stopped. */
export const countRows: JobHandler<CountInput, { counted: number; resumedFrom: number }> = async (job) => {
  const from = job.resumeFrom?.done ?? 0;
  for (let i = from; i < job.input.total; i++) {
    job.signal.throwIfAborted();
    if (job.input.stepMs) await sleep(job.input.stepMs, undefined, { signal: job.signal });
    job.progress(i + 1, job.input.total, `row ${i + 1} of ${job.input.total}`);
  }
  return { counted: job.input.total, resumedFrom: from };
};
