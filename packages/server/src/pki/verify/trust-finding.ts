import type { X509Certificate } from 'node:crypto';

export type TrustCode =
  | 'trust.unknown_ca'
  | 'trust.self_signed'
  | 'trust.incomplete_chain'
  | 'trust.issuer_not_ca'
  | 'trust.bad_signature'
  | 'trust.expired'
  | 'trust.not_yet_valid'
  | 'trust.hostname_mismatch'
  | 'trust.bad_key_usage';

/** What one verification step found wrong, in words an administrator can act on. */
export interface TrustFinding {
  code: TrustCode;
  message: string;
  /** The certificate the finding is about. */
  certificate?: X509Certificate;
  /** The root (or self-signed certificate) to trust once its fingerprint is confirmed. */
  suggestedTrust?: X509Certificate;
  /** For an incomplete chain: who the missing issuer is and where it may be downloaded. */
  missingIssuer?: { subject: string; caIssuersUrls: string[] };
  /** For a host name mismatch: the names the certificate carries. */
  names?: string[];
}
