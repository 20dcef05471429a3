import type { X509Certificate } from 'node:crypto';
import { describeCertificate, displayName, issuerOf } from '../describe-certificate.ts';
import { buildPath, type CertificatePath } from './build-path.ts';
import type { TrustFinding } from './trust-finding.ts';

/** Builds the path from the presented chain to the anchors and says why it fails, if it does. */
export function checkChain(
  presented: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
): { path: CertificatePath; finding?: TrustFinding } {
  const leaf = presented[0]!;
  const path = buildPath(leaf, presented.slice(1), anchors);
  const last = path.path.at(-1)!;
  switch (path.end) {
    case 'anchor':
      return { path };
    case 'untrusted_root': {
      const fp = last.fingerprint256;
      if (last === leaf) {
        return {
          path,
          finding: {
            code: 'trust.self_signed',
            certificate: leaf,
            suggestedTrust: leaf,
            message: `The server presents a self-signed certificate "${displayName(leaf)}" that this portal does not trust (SHA-256 fingerprint ${fp}).`,
          },
        };
      }
      return {
        path,
        finding: {
          code: 'trust.unknown_ca',
          certificate: last,
          suggestedTrust: last,
          message: `The server certificate "${displayName(leaf)}" was issued by the certificate authority "${displayName(last)}", which this portal does not trust (SHA-256 fingerprint ${fp}).`,
        },
      };
    }
    case 'issuer_not_ca':
      return {
        path,
        finding: {
          code: 'trust.issuer_not_ca',
          certificate: path.offending,
          message: `The certificate "${displayName(path.path.at(-2)!)}" was signed by "${displayName(path.offending!)}", but ${path.reason}.`,
        },
      };
    case 'bad_signature':
      return {
        path,
        finding: {
          code: 'trust.bad_signature',
          certificate: last,
          message: `The certificate "${displayName(last)}" names "${displayName(path.offending!)}" as its issuer, but the certificate the server sent under that name did not sign it.`,
        },
      };
    case 'missing_issuer': {
      const issuer = issuerOf(last);
      const urls = describeCertificate(last).caIssuersUrls;
      if (path.sameNameAnchor) {
        return {
          path,
          finding: {
            code: 'trust.unknown_ca',
            certificate: last,
            message: `The certificate "${displayName(last)}" was issued by "${issuer}". The trust store holds a certificate with that name (SHA-256 ${path.sameNameAnchor.fingerprint256}) but with another key: the CA was renewed or replaced. Import the CA's current certificate.`,
          },
        };
      }
      if (last !== leaf && last.ca) {
        // The server sent intermediates; what is missing is (most likely) their root, which servers need not send.
        return {
          path,
          finding: {
            code: 'trust.unknown_ca',
            certificate: last,
            missingIssuer: { subject: issuer, caIssuersUrls: urls },
            message: `The server's chain ends at "${displayName(last)}", issued by "${issuer}", a certificate authority this portal does not trust. Get that root certificate from the server's administrator${urls.length ? ` or from ${urls.join(', ')}` : ''} and compare its SHA-256 fingerprint before importing it.`,
          },
        };
      }
      return {
        path,
        finding: {
          code: 'trust.incomplete_chain',
          certificate: last,
          missingIssuer: { subject: issuer, caIssuersUrls: urls },
          message: `The server sent its certificate "${displayName(last)}" without the certificate of its issuer "${issuer}"${urls.length ? ` (published at ${urls.join(', ')})` : ''}, and this portal does not have it.`,
        },
      };
    }
  }
}
