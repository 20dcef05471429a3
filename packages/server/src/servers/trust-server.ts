import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { PkiApi } from '../pki/module.ts';
import { ServerFingerprintMismatch, ServerUntrustedCertificate } from './errors.ts';
import {
  type CertificateDiagnosis,
  CertificateRefused,
  type Json,
  type ServerClient,
} from './server-client.ts';

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
  // A federated server's new certificate is confirmed where it is validated; a new server's at federate.
  const again = changed
    ? 'validate the server again (portaladmin/federation/servers/<id>/validate)'
    : 'federate again';
  // The pki diagnosis's general fix (import the CA by hand) is not the way here: confirming is.
  const how = confirm
    ? ` If ${confirm.subject} is the server's (compare its SHA-256 fingerprint with the server's administrator), ${again} with trustPresentedCertificate=${confirm.sha256Fingerprint}.`
    : ` ${d.fix}`;
  return new MeridianError(ServerUntrustedCertificate, `${lead} ${d.message}${how}`.replace(/\s+/g, ' '), {
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
  });
}

export interface Reached {
  info: Json;
  /** The alias of the trust entry this call added, if it added one. */
  trustAlias?: string;
}

/**
 * Trusts the certificate of exactly the `confirmed` SHA-256 fingerprint among those `d` shows
 * presented (servers.fingerprint_mismatch, nothing trusted, when none has it), through pki's
 * trust.trustConfirmed under the alias federation-<host>-<port>-<fingerprint prefix> (the source
 * is this federation). Answers that alias when this call added the entry (a certificate trusted
 * already under another alias is not this federation's to remove later).
 */
export async function trustConfirmed(
  pki: Pick<PkiApi, 'trust'>,
  url: string,
  d: CertificateDiagnosis,
  confirmed: string,
): Promise<string | undefined> {
  const trusted = await pki.trust.trustConfirmed('federation', url, d.presentedChain, confirmed);
  if (!trusted)
    throw new MeridianError(
      ServerFingerprintMismatch,
      `No certificate ${url} presents has SHA-256 fingerprint ${confirmed.slice(0, 120)}: nothing was trusted or stored. It presents ${d.presentedChain
        .map((c) => `${c.subject} (${c.sha256Fingerprint})`)
        .join(', ')}. ${ServerFingerprintMismatch.fix}`,
      { data: untrustedError(url, d).data },
    );
  return trusted.added ? trusted.alias : undefined;
}

/**
 * Step 1 of the protocol: reads <url>/rest/info through the portal's trust store. A refused
 * certificate is diagnosed (servers.untrusted_certificate with the chain and the fingerprint to
 * confirm); with `confirmed`, the presented certificate of exactly that SHA-256 fingerprint is
 * added to the trust store (trustConfirmed) and the call is made again.
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
    const trustAlias = await trustConfirmed(deps.pki, url, err.diagnosis, confirmed);
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
