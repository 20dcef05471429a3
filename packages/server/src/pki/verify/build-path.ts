import type { X509Certificate } from 'node:crypto';
import { isSelfSigned, sameCertificate } from '../certificate-input.ts';
import { x509 } from '../x509-provider.ts';

const MAX_DEPTH = 10;

export type PathEnd =
  /** The path reaches a trust anchor (possibly the leaf itself). */
  | 'anchor'
  /** The path ends at a self-signed certificate that is not trusted. */
  | 'untrusted_root'
  /** The issuer of the last certificate is neither presented nor trusted. */
  | 'missing_issuer'
  /** A certificate's issuer is not allowed to issue certificates (CA flag, keyCertSign, path length). */
  | 'issuer_not_ca'
  /** An issuer with the right name was found but its key did not sign the certificate. */
  | 'bad_signature';

export interface CertificatePath {
  end: PathEnd;
  /** Leaf first, then each issuer found; the anchor last when end is 'anchor'. */
  path: X509Certificate[];
  anchor?: X509Certificate;
  /** For issuer_not_ca / bad_signature: the offending issuer. */
  offending?: X509Certificate;
  /** For missing_issuer: a trusted certificate with the issuer's name but another key. */
  sameNameAnchor?: X509Certificate;
  reason?: string;
}

/**
 * Builds the path leaf → … → trust anchor, taking issuers first from the anchors and then
 * from the untrusted pool (what the server sent, or the file's other certificates).
 * Signatures are verified at each step; validity dates are not (see check-validity.ts).
 */
export function buildPath(
  leaf: X509Certificate,
  pool: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  opts: { toRoot?: boolean } = {},
): CertificatePath {
  const path = [leaf];
  let cur = leaf;
  let anchor: X509Certificate | undefined;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    anchor ??= anchors.find((a) => sameCertificate(a, cur));
    // Verification stops at the first trusted certificate; chain completion (toRoot) goes on to the root.
    if (anchor && (!opts.toRoot || isSelfSigned(cur))) return { end: 'anchor', path, anchor };
    if (isSelfSigned(cur)) return { end: 'untrusted_root', path };
    const inPath = (c: X509Certificate) => path.some((p) => sameCertificate(p, c));
    const named = [...anchors, ...pool].filter((c) => !inPath(c) && c.subject === cur.issuer);
    const issuer = named.find((c) => cur.verify(c.publicKey));
    if (!issuer && anchor) return { end: 'anchor', path, anchor };
    if (!issuer) {
      const presented = pool.find((c) => !inPath(c) && c.subject === cur.issuer);
      if (presented) return { end: 'bad_signature', path, offending: presented, reason: 'signature' };
      const sameNameAnchor = anchors.find((a) => a.subject === cur.issuer);
      return sameNameAnchor
        ? { end: 'missing_issuer', path, sameNameAnchor }
        : { end: 'missing_issuer', path };
    }
    const notCa = issuerProblem(issuer, cur, path.length - 1);
    if (notCa) return { end: 'issuer_not_ca', path: [...path, issuer], offending: issuer, reason: notCa };
    path.push(issuer);
    cur = issuer;
  }
  return { end: 'missing_issuer', path, reason: 'the chain is longer than 10 certificates' };
}

/** Why `issuer` may not sign `cert`, or undefined. `below` = CA certificates between it and the leaf. */
function issuerProblem(issuer: X509Certificate, cert: X509Certificate, below: number): string | undefined {
  if (!issuer.ca) return 'it is not a certificate authority (basicConstraints CA:FALSE or missing)';
  if (!cert.checkIssued(issuer)) return 'its key usage does not include keyCertSign';
  const bc = new x509.X509Certificate(issuer.raw).getExtension(x509.BasicConstraintsExtension);
  if (bc?.pathLength !== undefined && below > bc.pathLength)
    return `its path length constraint (${bc.pathLength}) forbids ${below} intermediate CA(s) below it`;
  return undefined;
}
