/** The answers of the traces routes; the web UI imports their Static types (type-only). Pure TypeBox. */
import { type Static, Type } from '@sinclair/typebox';
import { EpochMs, Nullable, PageEnvelope, StringEnum } from '../../http/schemas.ts';

export const TRACE_OUTCOMES = ['succeeded', 'failed'] as const;
export const STEP_OUTCOMES = ['ok', 'flagged', 'failed'] as const;

export const TraceStepJson = Type.Object({
  name: Type.String({ description: 'verb_noun, e.g. resolve_host.' }),
  outcome: StringEnum(STEP_OUTCOMES, {
    description: 'ok: passed; flagged: found something without failing; failed: the run stopped there.',
  }),
  ms: Type.Number(),
  detail: Type.String({ description: 'What the step found; for the failed step, "code: message".' }),
});
export type TraceStepJson = Static<typeof TraceStepJson>;

/** One run of a step pipeline (a TLS diagnosis, a SAML sign-in, …) as the portal recorded it. */
export const TraceJson = Type.Object(
  {
    id: Type.String(),
    pipeline: Type.String({ description: 'e.g. tls.diagnose' }),
    subject: Type.String({ description: 'What the run was about: a URL, a user name.' }),
    outcome: StringEnum(TRACE_OUTCOMES),
    code: Nullable(Type.String({ description: "The failure's code; null when the run succeeded." })),
    started: EpochMs,
    durationMs: Type.Number(),
    node: Type.String({ description: 'The portal node that ran it.' }),
    steps: Type.Array(TraceStepJson),
  },
  { title: 'Trace' },
);
export type TraceJson = Static<typeof TraceJson>;

export const TraceListJson = Type.Object({ traces: Type.Array(TraceJson), ...PageEnvelope });
export type TraceListJson = Static<typeof TraceListJson>;
