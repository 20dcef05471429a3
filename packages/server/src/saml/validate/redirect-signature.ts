import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { allowedSignatureAlgorithms, SIG, shortName } from './algorithms.ts';
import { SamlAlgorithmRefused, SamlSignatureKeyUntrusted } from './errors.ts';
import type { TrustedIdp } from './types.ts';

/** A query string's parameters as they were sent (still URL-encoded), in order. */
export function rawQueryParams(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq);
    if (!out.has(name)) out.set(name, part.slice(eq + 1));
  }
  return out;
}

const decode = (v: string) => decodeURIComponent(v.replace(/\+/g, ' '));

/**
 * Verifies the HTTP-Redirect binding's query signature (SAML bindings 3.4.4.1): the octets
 * `SAMLRequest|SAMLResponse=…&RelayState=…&SigAlg=…` exactly as received, signed with SigAlg,
 * which must be one the login allows (the same allowlist as XML signatures), with the IdP's
 * metadata certificates only. Throws saml.signature_key_untrusted or saml.algorithm_refused;
 * answers which algorithm and certificate verified it, for the trace. Absent signature: undefined.
 */
export function verifyRedirectSignature(
  rawQuery: string,
  messageParam: 'SAMLRequest' | 'SAMLResponse',
  idp: TrustedIdp,
): string | undefined {
  const q = rawQueryParams(rawQuery);
  const signature = q.get('Signature');
  const sigAlg = q.get('SigAlg');
  if (signature === undefined) return undefined;
  const alg = sigAlg === undefined ? undefined : decode(sigAlg);
  const allowed = allowedSignatureAlgorithms(idp.allowSha1);
  if (!alg || !Object.hasOwn(allowed, alg))
    throw new MeridianError(
      SamlAlgorithmRefused,
      `The message's query signature uses ${alg ? JSON.stringify(alg.slice(0, 120)) : 'no SigAlg'}${alg === SIG.rsaSha1 ? ', SHA-1, which the login does not allow' : ', which is not allowed'}. ${SamlAlgorithmRefused.fix}`,
    );
  const signed = [messageParam, 'RelayState', 'SigAlg']
    .filter((n) => q.has(n))
    .map((n) => `${n}=${q.get(n)}`)
    .join('&');
  const value = decode(signature);
  const verifier = new allowed[alg]!();
  for (const [i, cert] of idp.signingCertificates.entries())
    if (verifier.verifySignature(signed, cert, value))
      return `${shortName(alg)}, metadata certificate ${i + 1}`;
  throw new MeridianError(
    SamlSignatureKeyUntrusted,
    `The message's query signature does not verify with a key of ${idp.entityId} (${idp.signingCertificates.length} certificate(s) in its verified metadata). ${SamlSignatureKeyUntrusted.fix}`,
  );
}
