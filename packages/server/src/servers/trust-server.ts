import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { PkiApi } from '../pki/module.ts';
import { ServerFingerprintMismatch, ServerUntrustedCertificate } from './errors.ts';
import {
  type CertificateDiagnosis,
  CertificateRefused,
  type Json,
  type ServerClient,
} from './server-client.ts';

/** "AB:CD:…", "abcd…", "sha256 Fingerprint=AB:CD…" → "ABCD…" (compared case- and colon-insensitively). */
export function fingerprintKey(fp: string): string {
  return fp
    .replace(/^.*=/, '')
    .replace(/[^0-9a-f]/gi, '')
    .toUpperCase();
}

/**
 * The certificate an administrator confirms: the top-most CA certificate the server presented
 * (its own CA when it sends it), else the leaf.
 */
export function certificateToConfirm(chain: readonly CertificateDiagnosis['presentedChain'][number][]) {
  const cas = chain.filter((c) => c.isCA);
  return cas.length ? cas[cas.length - 1]! : chain[0];
}

/** The error that explains a refused certificate: the diagnosis, the chain, and the fingerprint to confirm. */
export function untrustedError(url: string, d: CertificateDiagnosis, changed = false): MeridianError {
  const confirm = certificateToConfirm(d.presentedChain);
  const lead = changed
    ? `The certificate of ${url} changed and is issued by a CA this portal does not trust.`
    : `This portal does not trust the certificate of ${url}.`;
  const how = confirm
    ? ` If ${confirm.subject} (SHA-256 ${confirm.sha256Fingerprint}) is the server's, federate again with trustPresentedCertificate=${confirm.sha256Fingerprint}.`
    : '';
  return new MeridianError(
    ServerUntrustedCertificate,
    `${lead} ${d.message} ${d.fix}${how}`.replace(/\s+/g, ' '),
    {
      data: {
        diagnosisCode: d.code,
        presentedChain: d.presentedChain.map((c) => ({
          subject: c.subject,
          issuer: c.issuer,
          notAfter: new Date(c.validUntil).toISOString(),
          sha256Fingerprint: c.sha256Fingerprint,
          isCA: c.isCA,
        })),
        ...(confirm ? { fingerprintToConfirm: confirm.sha256Fingerprint } : {}),
      },
    },
  );
}

export interface Reached {
  info: Json;
  /** The alias of the trust entry this call added, if it added one. */
  trustAlias?: string;
}

/**
 * Step 1 of the protocol: reads <url>/rest/info through the portal's trust store. A refused
 * certificate is diagnosed (servers.untrusted_certificate with the chain and the fingerprint to
 * confirm); with `confirmed`, the presented certificate of exactly that SHA-256 fingerprint is
 * added to the trust store (alias federation-<host>-<port>-<fingerprint prefix>: the source is
 * this federation) and the call is made again.
 * Verification is never turned off.
 */
export async function reachTrusted(
  deps: { client: ServerClient; pki: Pick<PkiApi, 'trust' | 'outbound'> },
  url: string,
  confirmed: string | undefined,
): Promise<Reached> {
  try {
    return { info: await deps.client.info(url) };
  } catch (err) {
    if (!(err instanceof CertificateRefused)) throw err;
    if (!confirmed) throw untrustedError(url, err.diagnosis);
    const want = fingerprintKey(confirmed);
    const match = err.diagnosis.presentedChain.find((c) => fingerprintKey(c.sha256Fingerprint) === want);
    if (!want || !match)
      throw new MeridianError(
        ServerFingerprintMismatch,
        `No certificate ${url} presents has SHA-256 fingerprint ${confirmed.slice(0, 120)}: nothing was trusted or stored. It presents ${err.diagnosis.presentedChain
          .map((c) => `${c.subject} (${c.sha256Fingerprint})`)
          .join(', ')}. ${ServerFingerprintMismatch.fix}`,
        { data: untrustedError(url, err.diagnosis).data },
      );
    const u = new URL(url);
    const alias = `federation-${u.hostname}-${u.port || '443'}-${want.slice(0, 8)}`
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 100);
    const imported = await deps.pki.trust.import(alias, match.pem);
    deps.pki.outbound.invalidate();
    // Already trusted under another alias: that entry is not this federation's to remove.
    const trustAlias = imported.aliases[0] === alias ? alias : undefined;
    try {
      return { info: await deps.client.info(url), ...(trustAlias ? { trustAlias } : {}) };
    } catch (again) {
      if (trustAlias) await deps.pki.trust.remove(trustAlias).catch(() => {});
      deps.pki.outbound.invalidate();
      if (again instanceof CertificateRefused) throw untrustedError(url, again.diagnosis);
      throw again;
    }
  }
}
