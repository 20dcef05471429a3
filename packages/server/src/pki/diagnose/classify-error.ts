import {
  type CertificateVerifyCode,
  classifyNetworkError,
  type NetworkCode,
} from '../../kernel/outbound/classify-connection-error.ts';

export type ConnectionCode =
  | NetworkCode
  | 'trust.unknown_ca'
  | 'trust.self_signed'
  | 'trust.incomplete_chain'
  | 'trust.expired'
  | 'trust.not_yet_valid'
  | 'trust.hostname_mismatch'
  | 'trust.bad_key_usage'
  | 'trust.issuer_not_ca'
  | 'trust.bad_signature';

/** Node/OpenSSL certificate verification codes → Meridian codes (used when no diagnosis is at hand). */
const VERIFY_CODES: Record<CertificateVerifyCode, ConnectionCode> = {
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'trust.incomplete_chain',
  UNABLE_TO_GET_ISSUER_CERT: 'trust.incomplete_chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'trust.incomplete_chain',
  SELF_SIGNED_CERT_IN_CHAIN: 'trust.unknown_ca',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'trust.self_signed',
  CERT_UNTRUSTED: 'trust.unknown_ca',
  CERT_HAS_EXPIRED: 'trust.expired',
  CERT_NOT_YET_VALID: 'trust.not_yet_valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'trust.hostname_mismatch',
  HOSTNAME_MISMATCH: 'trust.hostname_mismatch',
  INVALID_PURPOSE: 'trust.bad_key_usage',
  INVALID_CA: 'trust.issuer_not_ca',
  PATH_LENGTH_EXCEEDED: 'trust.issuer_not_ca',
  CERT_SIGNATURE_FAILURE: 'trust.bad_signature',
};

/** Maps a connection error to a stable code and a plain-words message: trust.* for certificates. */
export function classifyConnectionError(
  err: unknown,
  target: string,
): { code: ConnectionCode; message: string } {
  const e = err as { code?: string; message?: string } | undefined;
  const verify = VERIFY_CODES[(e?.code ?? '') as CertificateVerifyCode] as ConnectionCode | undefined;
  if (verify)
    return { code: verify, message: `The certificate of ${target} is not trusted (${e?.message}).` };
  return classifyNetworkError(err, target) as { code: ConnectionCode; message: string };
}
