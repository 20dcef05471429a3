import { defineError, type ErrorSpec } from '../../kernel/errors/meridian-error.ts';

/**
 * The vocabulary of a connection diagnosis. Chain verification, the guarded outbound client
 * and the diagnosis report all answer with these codes, so an administrator sees the same
 * code in the API, the CLI (`meridian doctor`) and the log.
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

export const NoCommonProtocol = defineError({
  code: 'tls.no_common_protocol',
  status: 400,
  summary: 'The server and the portal share no TLS version (the portal needs TLS 1.2 or 1.3).',
  fix: 'Enable TLS 1.2 or TLS 1.3 on the server.',
});

export const NoCommonCipher = defineError({
  code: 'tls.no_common_cipher',
  status: 400,
  summary:
    'The TLS handshake failed: the server and the portal share no cipher suite (or the server refused the handshake).',
  fix: 'Enable modern cipher suites on the server (ECDHE with AES-GCM or ChaCha20-Poly1305) and check its certificate is usable with them.',
});

export const TlsHandshakeFailed = defineError({
  code: 'tls.handshake_failed',
  status: 400,
  summary: 'The TLS handshake with the server failed.',
  fix: 'Check that the URL points at an HTTPS port (not plain HTTP) and the server’s TLS settings; the message names the TLS error.',
});

export const ConnectionRefused = defineError({
  code: 'net.connection_refused',
  status: 400,
  summary: 'The server refused the connection: nothing listens on that host and port.',
  fix: 'Check the port in the URL, that the server is running, and that no firewall rejects the portal machine.',
});

export const Timeout = defineError({
  code: 'net.timeout',
  status: 400,
  summary: 'The server did not answer in time.',
  fix: 'Check that the host and port are right and reachable from the portal machine (firewall, proxy), then try again.',
});

export const DnsFailure = defineError({
  code: 'net.dns_failure',
  status: 400,
  summary: 'The host name does not resolve.',
  fix: 'Check the spelling of the host name, and that the portal machine’s DNS (or /etc/hosts) knows it.',
});

export const NetworkError = defineError({
  code: 'net.error',
  status: 400,
  summary: 'The connection to the server failed.',
  fix: 'Check the network path between the portal machine and the server; the message names the system error.',
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
