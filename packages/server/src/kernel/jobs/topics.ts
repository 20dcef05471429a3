import type { JobStatus } from './job.ts';

/** What the jobs service announces on the change bus, so that every node's listeners see it. */
export interface JobChange {
  id: string;
  kind: string;
  status: JobStatus;
  /** A cancel was requested for a running job: the node running it aborts it. */
  cancelRequested: boolean;
}

declare module '../bus/topics.ts' {
  interface BusTopics {
    /** A job was started, claimed, made progress, was asked to cancel, or ended. */
    'jobs.changed': JobChange;
  }
}

export const JOBS_TOPIC = 'jobs.changed';
