/** One run of a pipeline (runner.ts); steps is the JSON of StepRecord[]. */
export interface PipelineTracesTable {
  id: string;
  pipeline: string;
  subject: string;
  outcome: string;
  code: string | null;
  started: number;
  duration_ms: number;
  node: string;
  steps: string;
}

declare module '../db/schema.ts' {
  interface Database {
    pipeline_traces: PipelineTracesTable;
  }
}
