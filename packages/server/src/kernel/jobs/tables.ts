/** One job (job-service.ts). Times are epoch ms; input and result are JSON text. */
export interface JobsTable {
  id: string;
  kind: string;
  status: string;
  /** 1: a node taking over an expired lease runs it again; 0: it is marked failed. */
  resumable: number;
  progress_done: number;
  progress_total: number | null;
  progress_message: string;
  input: string;
  result: string | null;
  error_code: string | null;
  error_message: string | null;
  created: number;
  started: number | null;
  finished: number | null;
  modified: number;
  /** The node running it (kept after it ends: the node that ran it last). */
  lease_owner: string | null;
  /** While running: the owner must renew before this, or another node takes the job over. */
  lease_expires: number | null;
  cancel_requested: number;
  /** How many times a node started it (more than 1 after a takeover). */
  attempts: number;
}

declare module '../db/schema.ts' {
  interface Database {
    jobs: JobsTable;
  }
}
