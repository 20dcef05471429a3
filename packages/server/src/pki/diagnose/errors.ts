import { defineError, type ErrorSpec } from '../../kernel/errors/meridian-error.ts';
import {
  ConnectionRefused,
  DnsFailure,
  NetworkError,
  NoCommonCipher,
  NoCommonProtocol,
  Timeout,
  TlsHandshakeFailed,
} from '../../kernel/outbound/net-errors.ts';

/**
 * The vocabulary of a connection diagnosis: the trust.* codes of certificate checks here, the
 * net.* and tls.* codes of the connection from the guarded client (kernel/outbound). Chain
 * verification, the guarded client and the diagnosis report all answer with these codes, so
 * an administrator sees the same code in the API, the CLI (`meridian doctor`) and the log.
 */

const IMPORT_FIX =
  'After checking the SHA-256 fingerprint with the other side’s administrator, import the certificate: ' +
  '`meridian trust import <file> --alias <name>` or POST portaladmin/security/sslCertificates/importRootOrIntermediate. No restart is needed.';

export const UnknownCa = defineError({
  code: 'trust.unknown_ca',
  status: 400,
  summary: 'The server’s certificate was issued by a certificate authority this portal does not trust.',
  fix: IMPORT_FIX,
});

export const SelfSigned = defineError({
  code: 'trust.self_signed',
  status: 400,
  summary: 'The server presents a self-signed certificate that this portal does not trust.',
  fix: IMPORT_FIX,
});

export const IncompleteChain = defineError({
  code: 'trust.incomplete_chain',
  status: 400,
  summary:
    'The server did not send the intermediate certificate(s) between its certificate and a trusted root.',
  fix: 'Configure the server to send its full chain (leaf + intermediates), or import the missing intermediate with `meridian trust import <file> --alias <name>` / portaladmin/security/sslCertificates/importRootOrIntermediate.',
});

export const IssuerNotCa = defineError({
  code: 'trust.issuer_not_ca',
  status: 400,
  summary: 'A certificate in the chain was signed by a certificate that is not a certificate authority.',
  fix: 'Re-issue the server certificate from a real CA certificate (basicConstraints CA:TRUE, keyUsage keyCertSign).',
});

export const Expired = defineError({
  code: 'trust.expired',
  status: 400,
  summary: 'A certificate in the server’s chain has expired.',
  fix: 'Renew the certificate on the server (and check the clock of both machines).',
});

export const NotYetValid = defineError({
  code: 'trust.not_yet_valid',
  status: 400,
  summary: 'A certificate in the server’s chain is not valid yet.',
  fix: 'Check the clock of both machines, or wait until the certificate’s start date.',
});

export const HostnameMismatch = defineError({
  code: 'trust.hostname_mismatch',
  status: 400,
  summary: 'The server’s certificate is not issued for the host name in the URL.',
  fix: 'Use a URL with one of the names the certificate carries, or re-issue the certificate with this name in its subject alternative names.',
});

export const BadKeyUsage = defineError({
  code: 'trust.bad_key_usage',
  status: 400,
  summary:
    'The server’s certificate is not allowed to be used for a TLS server (key usage / extended key usage).',
  fix: 'Re-issue the certificate with extendedKeyUsage serverAuth and keyUsage digitalSignature (and keyEncipherment for RSA).',
});

export const BadSignature = defineError({
  code: 'trust.bad_signature',
  status: 400,
  summary: 'A signature in the server’s certificate chain does not verify.',
  fix: 'The chain is corrupt or was assembled from the wrong certificates: configure the server with the chain its CA delivered.',
});

/** Every code a diagnosis may end with, to its spec. */
export const diagnosisSpecs: Record<string, ErrorSpec> = Object.fromEntries(
  [
    UnknownCa,
    SelfSigned,
    IncompleteChain,
    IssuerNotCa,
    Expired,
    NotYetValid,
    HostnameMismatch,
    BadKeyUsage,
    BadSignature,
    NoCommonProtocol,
    NoCommonCipher,
    TlsHandshakeFailed,
    ConnectionRefused,
    Timeout,
    DnsFailure,
    NetworkError,
  ].map((s) => [s.code, s]),
);
