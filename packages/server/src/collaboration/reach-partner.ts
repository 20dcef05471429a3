/**
 * Connecting to a partner portal through this portal's trust store, and reading its
 * collaboration key there. A refused certificate is explained in the seed's words plus the pki
 * diagnosis and the fingerprint the signed file gives; with trustPresentedCertificate equal to
 * that fingerprint, and a certificate of that fingerprint among those the partner presents,
 * exactly that certificate is trusted (through pki) and the call is made again. No restart:
 * the trust store is read live.
 */
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { normaliseFingerprint } from '../pki/module.ts';
import type { CollaborationContext } from './context.ts';
import {
  CollaborationFingerprintMismatch,
  CollaborationPartnerUnreachable,
  CollaborationUntrustedPartner,
} from './errors.ts';
import { callPartner, PartnerCertificateRefused, type PartnerDiagnosis } from './partner-http.ts';

export interface PartnerKey {
  portalId: string;
  portalUrl: string;
  publicKey: string;
}

export interface Reached {
  key: PartnerKey;
  /** The trust-store alias this call added (undefined when the partner was trusted already). */
  trustAlias?: string;
}

export interface ReachInput {
  /** The partner's origin. */
  url: string;
  /** The fingerprint the signed file gives for the partner. */
  fingerprint: string;
  /** What the administrator confirmed (trustPresentedCertificate). */
  confirmed?: string | undefined;
  /** "the invitation can be accepted" / "the invitation response can be imported". */
  before: string;
}

/** The error that explains a partner's refused certificate. */
export function untrustedPartner(input: ReachInput, d: PartnerDiagnosis): MeridianError {
  const missing = d.missingIssuer ? ` The missing CA is ${d.missingIssuer.subject}.` : '';
  return new MeridianError(
    CollaborationUntrustedPartner,
    `Failed to validate SSL certificate for ${input.url}. The certificate authority that issued the SSL certificate needs to be trusted by Portal before ${input.before}. ${d.message}${missing} The signed file gives SHA-256 ${input.fingerprint} as the fingerprint of the certificate to trust: once the partner's administrator confirms it, send the request again with trustPresentedCertificate=${input.fingerprint} (no restart is needed).`.replace(
      /\s+/g,
      ' ',
    ),
    {
      data: {
        diagnosisCode: d.code,
        ...(d.missingIssuer ? { missingIssuer: d.missingIssuer.subject } : {}),
        presentedChain: d.presentedChain.map((c) => ({
          subject: c.subject,
          issuer: c.issuer,
          sha256Fingerprint: c.sha256Fingerprint,
          isCA: c.isCA,
        })),
        fingerprintToConfirm: input.fingerprint,
      },
    },
  );
}

/** The partner's collaboration key, read at its URL through the trust store. */
export async function readKey(ctx: CollaborationContext, url: string): Promise<PartnerKey> {
  const json = await callPartner(ctx, `${url}/sharing/rest/portals/self/collaborationKey`);
  if (
    typeof json.portalId !== 'string' ||
    typeof json.publicKey !== 'string' ||
    typeof json.portalUrl !== 'string'
  )
    throw new MeridianError(
      CollaborationPartnerUnreachable,
      `${url} did not answer a collaboration key: it is not a Meridian portal. ${CollaborationPartnerUnreachable.fix}`,
    );
  return { portalId: json.portalId, portalUrl: json.portalUrl, publicKey: json.publicKey };
}

/**
 * Trusts the presented certificate of the confirmed fingerprint, if the rules allow it; answers
 * the alias of the entry it added (none when an entry was there already: not this exchange's to
 * remove later).
 */
async function trustConfirmed(
  ctx: CollaborationContext,
  input: ReachInput,
  d: PartnerDiagnosis,
  confirmed: string,
): Promise<string | undefined> {
  const want = normaliseFingerprint(confirmed);
  if (!want || want !== normaliseFingerprint(input.fingerprint))
    throw new MeridianError(
      CollaborationFingerprintMismatch,
      `trustPresentedCertificate ${confirmed.slice(0, 120)} is not the fingerprint the signed file gives (${input.fingerprint}): nothing was trusted. ${CollaborationFingerprintMismatch.fix}`,
      { data: untrustedPartner(input, d).data },
    );
  const trusted = await ctx.pki.trust.trustConfirmed('collaboration', input.url, d.presentedChain, confirmed);
  if (!trusted)
    throw new MeridianError(
      CollaborationFingerprintMismatch,
      `${input.url} presents no certificate with SHA-256 ${input.fingerprint} (it presents ${d.presentedChain
        .map((c) => `${c.subject} (${c.sha256Fingerprint})`)
        .join(', ')}): nothing was trusted. ${CollaborationFingerprintMismatch.fix}`,
      { data: untrustedPartner(input, d).data },
    );
  return trusted.added ? trusted.alias : undefined;
}

/** Reads the partner's collaboration key over TLS, trusting its certificate first when confirmed. */
export async function reachPartner(ctx: CollaborationContext, input: ReachInput): Promise<Reached> {
  try {
    return { key: await readKey(ctx, input.url) };
  } catch (err) {
    if (!(err instanceof PartnerCertificateRefused)) throw err;
    if (!input.confirmed) throw untrustedPartner(input, err.diagnosis);
    const trustAlias = await trustConfirmed(ctx, input, err.diagnosis, input.confirmed);
    try {
      return { key: await readKey(ctx, input.url), trustAlias };
    } catch (again) {
      await forgetTrust(ctx, trustAlias);
      if (again instanceof PartnerCertificateRefused) throw untrustedPartner(input, again.diagnosis);
      throw again;
    }
  }
}

/** Removes a trust entry this exchange added (a later step failed). */
export async function forgetTrust(ctx: CollaborationContext, alias: string | undefined): Promise<void> {
  if (!alias) return;
  await ctx.pki.trust
    .remove(alias)
    .catch((err) =>
      ctx.kernel.log.warn({ err, alias }, 'removing the trust entry of a failed collaboration step failed'),
    );
  ctx.pki.outbound.invalidate();
}
