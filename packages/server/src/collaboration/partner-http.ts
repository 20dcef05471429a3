/**
 * Calls to a partner portal, through the guarded client (its trust store, address policy and
 * limits). A refused certificate throws PartnerCertificateRefused with the pki diagnosis; no
 * connection or an answer that is not JSON throws collaboration.partner_unreachable; an
 * ArcGIS error in the answer is rethrown as the partner's own code when it is a collaboration
 * code (the same refusal on both sides), else collaboration.partner_refused. An aborted call
 * (its signal) fails with the signal's reason.
 */
import { catalogue, isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';
import type { PortalOutbound } from '../pki/module.ts';
import type { CollaborationContext } from './context.ts';
import { CollaborationPartnerRefused, CollaborationPartnerUnreachable } from './errors.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of a partner portal, checked where read.
export type Json = Record<string, any>;

type DiagnosisReport = Awaited<ReturnType<PortalOutbound['diagnose']>>;

export type PartnerDiagnosis = Pick<
  DiagnosisReport,
  'code' | 'message' | 'fix' | 'presentedChain' | 'missingIssuer' | 'host' | 'port' | 'suggestedTrust'
>;

export class PartnerCertificateRefused extends Error {
  readonly diagnosis: PartnerDiagnosis;
  constructor(error: MeridianError, diagnosis: PartnerDiagnosis) {
    super(error.message);
    this.diagnosis = diagnosis;
  }
}

/** The largest answer a partner call reads (outbound.response_too_large past it). */
export const MAX_ANSWER = 1024 * 1024;

export async function callPartner(
  ctx: CollaborationContext,
  url: string,
  opts: { form?: Record<string, string>; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Json> {
  const target = new URL(url);
  let res: Awaited<ReturnType<ReturnType<CollaborationContext['pki']['outbound']['client']>['request']>>;
  try {
    const headers = { accept: 'application/json', ...opts.headers };
    res = await ctx.pki.outbound.client().request(
      opts.form ? url : `${url}${url.includes('?') ? '&' : '?'}f=json`,
      opts.form
        ? {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ f: 'json', ...opts.form }).toString(),
            maxBytes: MAX_ANSWER,
            ...(opts.signal ? { signal: opts.signal } : {}),
          }
        : { headers, maxBytes: MAX_ANSWER, ...(opts.signal ? { signal: opts.signal } : {}) },
    );
  } catch (err) {
    // Aborted (the node stops, the job is cancelled): the signal's reason, as it is.
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (!isMeridianError(err)) throw err;
    const diagnosis = (err.data as { diagnosis?: PartnerDiagnosis } | undefined)?.diagnosis;
    if (diagnosis && err.code.startsWith('trust.')) throw new PartnerCertificateRefused(err, diagnosis);
    throw new MeridianError(
      CollaborationPartnerUnreachable,
      `${target.origin} could not be reached: ${err.message} ${CollaborationPartnerUnreachable.fix}`,
      { detail: err.code, cause: err },
    );
  }
  let json: unknown;
  try {
    json = res.json();
  } catch {
    // below
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new MeridianError(
      CollaborationPartnerUnreachable,
      `${target.origin}${target.pathname} answered HTTP ${res.status} with something that is not ArcGIS JSON: it is not a Meridian portal. ${CollaborationPartnerUnreachable.fix}`,
    );
  const error = (json as Json).error as Json | undefined;
  if (error && typeof error === 'object') {
    const code = typeof error.messageCode === 'string' ? error.messageCode : '';
    const spec = code.startsWith('collaboration.') ? catalogue.get(code) : undefined;
    const said = String(error.message ?? 'an error').slice(0, 500);
    if (spec) {
      // The partner's structured data comes along (e.g. the access modes of a refusal).
      const { code: _c, messageCode: _m, message: _t, details: _d, ...data } = error;
      throw new MeridianError(
        spec,
        `${target.origin} refused: ${said}`,
        Object.keys(data).length ? { data } : {},
      );
    }
    throw new MeridianError(
      CollaborationPartnerRefused,
      `${target.origin} refused: ${said}${code ? ` (${code})` : ''}`,
    );
  }
  return json as Json;
}
