/** The answers of the jobs routes; the web UI imports their Static types (type-only). Pure TypeBox. */
import { type Static, Type } from '@sinclair/typebox';
import { AnyJson, EpochMs, Nullable, PageEnvelope, StringEnum } from '../../http/schemas.ts';

export const JOB_STATUS_VALUES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export const JobProgressJson = Type.Object({
  done: Type.Number(),
  total: Nullable(Type.Number({ description: 'Null while the job does not know how much there is to do.' })),
  message: Type.String(),
});
export type JobProgressJson = Static<typeof JobProgressJson>;

/** A long operation (an aggregate ingest, a sync, a certificate issuance). Times are epoch ms. */
export const JobJson = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    status: StringEnum(JOB_STATUS_VALUES),
    progress: JobProgressJson,
    input: AnyJson,
    result: AnyJson,
    error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
    created: EpochMs,
    started: Nullable(EpochMs),
    finished: Nullable(EpochMs),
    modified: EpochMs,
    cancelRequested: Type.Boolean({
      description: 'Cancel was asked for a running job that has not stopped yet.',
    }),
    resumable: Type.Boolean(),
    attempts: Type.Integer(),
    node: Nullable(Type.String({ description: 'The node running it, or that ran it last.' })),
  },
  { title: 'Job' },
);
export type JobJson = Static<typeof JobJson>;

export const JobListJson = Type.Object({ jobs: Type.Array(JobJson), ...PageEnvelope });
export type JobListJson = Static<typeof JobListJson>;
