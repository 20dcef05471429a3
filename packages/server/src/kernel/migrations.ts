import type { Migration } from 'kysely';
import * as busEvents from './bus/migration.ts';
import * as jobs from './jobs/migration.ts';
import * as pipelineTraces from './pipeline/migration.ts';

/** The kernel's own tables. */
export const kernelMigrations: Readonly<Record<string, Migration>> = {
  '0009_bus_events': busEvents,
  '0013_jobs': jobs,
  '0014_pipeline_traces': pipelineTraces,
};

/** The kernel's tables, for the ownership test. */
export const kernelTables: readonly string[] = ['bus_events', 'jobs', 'pipeline_traces'];
