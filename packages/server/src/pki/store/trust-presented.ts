import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { PkiContext } from '../context.ts';
import type { DiagnosisReport } from '../diagnose/report.ts';
import { TrustFingerprintMismatch, TrustNothingToTrust } from './errors.ts';
import { aliasFor, importTrustedCertificates } from './trust-store.ts';

type Ctx = Pick<PkiContext, 'db' | 'bus' | 'config' | 'outbound'>;

/** "AB:CD:…", "abcd…", "sha256 Fingerprint=AB:CD…" → "ABCD…". */
export function normaliseFingerprint(fp: string): string {
  return fp
    .replace(/^.*=/, '')
    .replace(/[^0-9a-f]/gi, '')
    .toUpperCase();
}

/**
 * "Trust this": diagnoses the URL again and imports the certificate the diagnosis suggests,
 * only if its SHA-256 fingerprint is the one the administrator confirmed. Returns the new
 * diagnosis (ok once the trust was the only problem).
 */
export async function trustPresentedCertificate(
  ctx: Ctx,
  url: string,
  confirmedFingerprint: string,
  alias?: string,
): Promise<{ alias: string; notes: string[]; diagnosis: DiagnosisReport }> {
  const before = await ctx.outbound.diagnose(url);
  const suggested = before.suggestedTrust;
  if (!suggested)
    throw new MeridianError(
      TrustNothingToTrust,
      before.ok
        ? `${before.host}:${before.port} is already trusted: nothing was imported.`
        : `Trusting a certificate would not fix ${before.host}:${before.port}: ${before.message} ${before.fix}`.trim(),
      { data: { diagnosis: before } },
    );
  const want = normaliseFingerprint(confirmedFingerprint);
  if (!want || want !== normaliseFingerprint(suggested.sha256Fingerprint))
    throw new MeridianError(
      TrustFingerprintMismatch,
      `The certificate to trust for ${before.host}:${before.port} ("${suggested.subject}") has SHA-256 fingerprint ${suggested.sha256Fingerprint}, not the confirmed ${confirmedFingerprint || '(none)'}: nothing was imported.`,
      { data: { diagnosis: before } },
    );
  const name = alias ?? (await aliasFor(ctx, suggested.subject));
  const imported = await importTrustedCertificates(ctx, name, suggested.pem);
  ctx.outbound.invalidate();
  return {
    alias: imported.aliases[0]!,
    notes: imported.notes,
    diagnosis: await ctx.outbound.diagnose(url),
  };
}
