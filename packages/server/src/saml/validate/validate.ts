import { createHash } from 'node:crypto';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { definePipeline, type PipelineRun, runPipeline, type Step } from '../../kernel/pipeline/pipeline.ts';
import type { PipelineRunner } from '../../kernel/pipeline/runner.ts';
import type { SamlValidation } from './context.ts';
import { SamlValidationFailed } from './errors.ts';
import { samlResponsePipeline } from './steps.ts';
import type { SentRequest, ValidationEnv, VerifiedAssertion } from './types.ts';
import { children, NS, text } from './xml.ts';

/** A validation's outcome, with the trace of its run (when it was recorded). */
export type ValidationOutcome =
  | { ok: true; assertion: VerifiedAssertion; request: SentRequest; traceId: string | undefined }
  | { ok: false; error: MeridianError; step: string; traceId: string | undefined };

/**
 * What a trace says a run was about: a fingerprint of the message (to tell runs apart), never
 * its content. The steps' details name the IdP and the assertion and request IDs.
 */
function subjectOf(samlResponse: string): string {
  return `SAMLResponse sha256:${createHash('sha256').update(samlResponse).digest('hex').slice(0, 16)}`;
}

/** After the run: the fingerprint, and the IdP (trusted, else the Issuer the message claims, marked so). */
export function traceSubject(samlResponse: string, ctx: SamlValidation): string {
  const base = subjectOf(samlResponse);
  if (ctx.idp) return `${base} idp=${ctx.idp.entityId}`;
  const envelope = ctx.envelope;
  const issuerEl = envelope && children(envelope.response, NS.saml, 'Issuer')[0];
  const claimed = issuerEl ? text(issuerEl).slice(0, 200).replace(/\s+/g, '') : '';
  return claimed ? `${base} idp=${claimed} (claimed)` : base;
}

function outcome(run: PipelineRun, ctx: SamlValidation, traceId: string | undefined): ValidationOutcome {
  if (run.outcome === 'succeeded' && ctx.result && ctx.request)
    return { ok: true, assertion: ctx.result, request: ctx.request, traceId };
  const failed = run.steps.find((s) => s.outcome === 'failed');
  const error =
    run.error instanceof MeridianError
      ? run.error
      : new MeridianError(SamlValidationFailed, undefined, { cause: run.error });
  return { ok: false, error, step: failed?.name ?? 'unknown', traceId };
}

/**
 * Validates a SAMLResponse (HTTP-POST binding, base64) and records the run as a trace
 * (pipeline saml.response): the verified assertion and the request it answers, or the refusal
 * with the step that refused it.
 */
export async function validateSamlResponse(
  pipelines: Pick<PipelineRunner, 'run'>,
  samlResponse: string,
  env: ValidationEnv,
  /** Steps of the caller run after the validation in the same trace (the ACS: account, session). */
  more: readonly Step<SamlValidation>[] = [],
): Promise<ValidationOutcome> {
  const ctx: SamlValidation = { samlResponse, env };
  const pipeline = more.length
    ? definePipeline<SamlValidation>(samlResponsePipeline.name, [...samlResponsePipeline.steps, ...more])
    : samlResponsePipeline;
  const run = await pipelines.run(pipeline, ctx, (c) => traceSubject(samlResponse, c));
  return outcome(run, ctx, run.traceId);
}

/**
 * The same validation without a trace: for the benchmark (`npm run bench -- saml`) and for
 * callers that record elsewhere. Throws the refusal.
 */
export async function verifySamlResponse(
  samlResponse: string,
  env: ValidationEnv,
): Promise<VerifiedAssertion> {
  const ctx: SamlValidation = { samlResponse, env };
  const run = await runPipeline(samlResponsePipeline, ctx, { subject: '', now: () => env.clock.now() });
  const result = outcome(run, ctx, undefined);
  if (!result.ok) throw result.error;
  return result.assertion;
}
