/** The answer of GET portaladmin/security/saml/signInFailures; the web UI imports its Static type. Pure TypeBox. */
import { type Static, Type } from '@sinclair/typebox';
import { EpochMs, Nullable, PageEnvelope } from '../../http/schemas.ts';
import type { PipelineRunner, Trace } from '../../kernel/pipeline/runner.ts';

/** The traced pipeline every SAML sign-in runs (validation, then account and session). */
export const SIGN_IN_PIPELINE = 'saml.response';

export const SignInFailureJson = Type.Object(
  {
    traceId: Type.String({ description: 'The full trace: portaladmin/traces/<traceId>.' }),
    time: EpochMs,
    code: Type.String({ description: 'The error code, e.g. saml.signature_invalid.' }),
    idp: Nullable(
      Type.String({
        description:
          'The IdP: its entity ID once chosen from verified metadata; otherwise the Issuer the message claimed, followed by " (claimed)"; null when the message could not be read that far.',
      }),
    ),
    step: Type.String({
      description: 'The step of the sign-in that refused it, e.g. verify_assertion_signature.',
    }),
    reason: Type.String({
      description:
        "Why, as the step said it (the error's message: never message content, tokens, keys or NameIDs).",
    }),
    node: Type.String({ description: 'The portal node that received it.' }),
  },
  { title: 'SamlSignInFailure' },
);
export type SignInFailureJson = Static<typeof SignInFailureJson>;

export const SignInFailureListJson = Type.Object({
  failures: Type.Array(SignInFailureJson),
  keepDays: Type.Integer({ description: 'How long failures are kept (traces.keepDays).' }),
  ...PageEnvelope,
});
export type SignInFailureListJson = Static<typeof SignInFailureListJson>;

export function failureOf(t: Trace): SignInFailureJson {
  const failed = t.steps.find((s) => s.outcome === 'failed');
  const idp = / idp=(.+)$/.exec(t.subject)?.[1] ?? null;
  const code = t.code ?? 'error';
  const detail = failed?.detail ?? '';
  return {
    traceId: t.id,
    time: t.started,
    code,
    idp,
    step: failed?.name ?? 'unknown',
    reason: detail.startsWith(`${code}: `) ? detail.slice(code.length + 2) : detail,
    node: t.node,
  };
}

/** The failed SAML sign-ins, newest first, from their traces. */
export async function listSignInFailures(
  pipelines: Pick<PipelineRunner, 'list'>,
  page: { start?: number | undefined; num?: number | undefined },
  keepDays: number,
): Promise<SignInFailureListJson> {
  const { traces, ...envelope } = await pipelines.list({
    pipeline: SIGN_IN_PIPELINE,
    outcome: 'failed',
    ...(page.start !== undefined ? { start: page.start } : {}),
    ...(page.num !== undefined ? { num: page.num } : {}),
  });
  return { failures: traces.map(failureOf), keepDays, ...envelope };
}
