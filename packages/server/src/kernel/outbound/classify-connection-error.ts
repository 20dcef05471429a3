import { isMeridianError } from '../errors/meridian-error.ts';

/** The codes a failed connection is reported with before any certificate is judged. */
export type NetworkCode =
  | 'net.connection_refused'
  | 'net.timeout'
  | 'net.dns_failure'
  | 'net.error'
  | 'tls.no_common_protocol'
  | 'tls.no_common_cipher'
  | 'tls.handshake_failed';

/** Node/OpenSSL certificate verification error codes: the chain needs explaining. */
export const CERTIFICATE_VERIFY_CODES = [
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'INVALID_PURPOSE',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'CERT_SIGNATURE_FAILURE',
] as const;

export type CertificateVerifyCode = (typeof CERTIFICATE_VERIFY_CODES)[number];

const VERIFY = new Set<string>(CERTIFICATE_VERIFY_CODES);

const PROTOCOL =
  /UNSUPPORTED_PROTOCOL|ALERT_PROTOCOL_VERSION|NO_PROTOCOLS_AVAILABLE|VERSION_TOO_LOW|VERSION_TOO_HIGH/;
const CIPHER =
  /NO_SHARED_CIPHER|NO_CIPHERS_AVAILABLE|ALERT_HANDSHAKE_FAILURE|ALERT_INSUFFICIENT_SECURITY|NO_SUITABLE_SIGNATURE_ALGORITHM/;

/** True when the error is a certificate verification failure (the chain needs a diagnosis). */
export function isCertificateError(err: unknown): boolean {
  return VERIFY.has((err as { code?: string } | undefined)?.code ?? '');
}

/**
 * Maps a connection error that is not about a certificate to a stable code and a plain-words
 * message (a MeridianError keeps its own). `target` is "host:port".
 */
export function classifyNetworkError(err: unknown, target: string): { code: string; message: string } {
  if (isMeridianError(err)) return { code: err.code, message: err.message };
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
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
      message: `${target} and Meridian share no TLS version: Meridian speaks TLS 1.2 and 1.3 (${code}).`,
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
