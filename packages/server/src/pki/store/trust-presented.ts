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

/** What another module knows of a certificate a refused connection presented. */
export interface PresentedCertificate {
  sha256Fingerprint: string;
}

/**
 * A partner's certificate an administrator confirmed (a federated server's, a collaborating
 * portal's): when one of the certificates `presented` by `url` has the `confirmed` SHA-256
 * fingerprint, trusts it through trustPresentedCertificate under the alias
 * `<source>-<host>-<port>-<first 8 hex digits>`. Answers undefined, trusting nothing, when none
 * of them has it (the caller explains that in its own words); else the alias the certificate
 * is trusted under, whether this call added that entry (one trusted already keeps its alias and
 * is not the caller's to remove later), and the diagnosis made after.
 */
export async function trustConfirmedCertificate(
  ctx: Ctx,
  source: string,
  url: string,
  presented: readonly PresentedCertificate[],
  confirmed: string,
): Promise<{ alias: string; added: boolean; diagnosis: DiagnosisReport } | undefined> {
  const want = normaliseFingerprint(confirmed);
  if (!want || !presented.some((c) => normaliseFingerprint(c.sha256Fingerprint) === want)) return undefined;
  const u = new URL(url);
  const alias = `${source}-${u.hostname}-${u.port || '443'}-${want.slice(0, 8)}`
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 100);
  const trusted = await trustPresentedCertificate(ctx, url, confirmed, alias);
  return { alias: trusted.alias, added: trusted.alias === alias, diagnosis: trusted.diagnosis };
}
