import { request } from './client.ts';
import type { PageEnvelope } from './paging.ts';

export const TRACE_OUTCOMES = ['succeeded', 'failed'] as const;
export type TraceOutcome = (typeof TRACE_OUTCOMES)[number];

/** ok: passed; flagged: found something without failing (the run went on); failed: the run stopped there. */
export type StepOutcome = 'ok' | 'flagged' | 'failed';

export interface TraceStep {
  /** verb_noun, e.g. resolve_host. */
  name: string;
  outcome: StepOutcome;
  ms: number;
  /** What the step found; for the failed step, "code: message". */
  detail: string;
}

/** One run of a step pipeline (a TLS diagnosis, a SAML sign-in, …) as the portal recorded it. */
export interface Trace {
  id: string;
  /** e.g. tls.diagnose */
  pipeline: string;
  /** What the run was about: a URL, a user name. */
  subject: string;
  outcome: TraceOutcome;
  /** The failure's code; null when the run succeeded. */
  code: string | null;
  /** Epoch ms. */
  started: number;
  durationMs: number;
  /** The portal node that ran it. */
  node: string;
  steps: TraceStep[];
}

export interface TraceList extends PageEnvelope {
  traces: Trace[];
}

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
