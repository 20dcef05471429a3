import type {
  TRACE_OUTCOMES as SERVER_TRACE_OUTCOMES,
  STEP_OUTCOMES,
  TraceJson,
  TraceListJson,
  TraceStepJson,
} from '@meridian/server/kernel/pipeline/schemas.ts';
import { request } from './client.ts';

export type TraceOutcome = (typeof SERVER_TRACE_OUTCOMES)[number];
/** The outcomes, for the filter (each one checked by the type to be one of the server's). */
export const TRACE_OUTCOMES = ['succeeded', 'failed'] as const satisfies readonly TraceOutcome[];

/** ok: passed; flagged: found something without failing (the run went on); failed: the run stopped there. */
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

/** A step of a run: verb_noun name, outcome, ms, and what it found ("code: message" when it failed). */
export type TraceStep = TraceStepJson;

/** One run of a step pipeline (a TLS diagnosis, a SAML sign-in, …) as the portal recorded it. */
export type Trace = TraceJson;

export type TraceList = TraceListJson;

export interface TraceFilter {
  pipeline?: string;
  outcome?: TraceOutcome;
  start?: number;
  num?: number;
}

/** Traces, newest first (administrators). */
export function listTraces(filter: TraceFilter = {}): Promise<TraceList> {
  return request('/portaladmin/traces', { query: { ...filter } });
}

export function getTrace(id: string): Promise<Trace> {
  return request(`/portaladmin/traces/${encodeURIComponent(id)}`);
}

/** The step where the run stopped, if it failed. */
export function failedStep(trace: Trace): TraceStep | undefined {
  return trace.steps.find((s) => s.outcome === 'failed');
}
