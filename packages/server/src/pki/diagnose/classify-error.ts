import { isMeridianError } from '../../kernel/errors/meridian-error.ts';

export type ConnectionCode =
  | 'net.connection_refused'
  | 'net.timeout'
  | 'net.dns_failure'
  | 'net.error'
  | 'tls.no_common_protocol'
  | 'tls.no_common_cipher'
  | 'tls.handshake_failed'
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
const VERIFY_CODES: Record<string, ConnectionCode> = {
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

const PROTOCOL =
  /UNSUPPORTED_PROTOCOL|ALERT_PROTOCOL_VERSION|NO_PROTOCOLS_AVAILABLE|VERSION_TOO_LOW|VERSION_TOO_HIGH/;
const CIPHER =
  /NO_SHARED_CIPHER|NO_CIPHERS_AVAILABLE|ALERT_HANDSHAKE_FAILURE|ALERT_INSUFFICIENT_SECURITY|NO_SUITABLE_SIGNATURE_ALGORITHM/;

/** True when the error is a certificate verification failure (the chain needs a diagnosis). */
export function isCertificateError(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code in VERIFY_CODES;
}

/** Maps a connection error to a stable code and a plain-words message. */
export function classifyConnectionError(
  err: unknown,
  target: string,
): { code: ConnectionCode; message: string } {
  if (isMeridianError(err)) return { code: err.code as ConnectionCode, message: err.message };
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const verify = VERIFY_CODES[code];
  if (verify) return { code: verify, message: `The certificate of ${target} is not trusted (${e.message}).` };
  if (code === 'ECONNREFUSED')
    return {
      code: 'net.connection_refused',
      message: `${target} refused the connection: nothing listens there.`,
    };
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT')
    return { code: 'net.timeout', message: `${target} did not answer in time.` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return { code: 'net.dns_failure', message: `The host name of ${target} does not resolve.` };
  if (PROTOCOL.test(code))
    return {
      code: 'tls.no_common_protocol',
      message: `${target} and the portal share no TLS version: the portal speaks TLS 1.2 and 1.3 (${code}).`,
    };
  if (CIPHER.test(code))
    return {
      code: 'tls.no_common_cipher',
      message: `${target} refused the TLS handshake: no cipher suite in common (${code}).`,
    };
  if (
    /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|RECORD_LAYER_FAILURE/.test(code) ||
    code === 'ERR_SSL_HTTP_REQUEST'
  )
    return {
      code: 'tls.handshake_failed',
      message: `${target} does not speak TLS on this port (is it a plain HTTP port?) (${code}).`,
    };
  if (code.startsWith('ERR_SSL_') || code === 'ECONNRESET' || code === 'EPIPE')
    return {
      code: 'tls.handshake_failed',
      message: `The TLS handshake with ${target} failed (${code || e.message}).`,
    };
  return { code: 'net.error', message: `The connection to ${target} failed (${code || e.message}).` };
}
