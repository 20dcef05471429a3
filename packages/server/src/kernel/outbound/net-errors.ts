import { defineError } from '../errors/meridian-error.ts';

/**
 * What can go wrong on the way to a server before any certificate is judged: the name, the
 * TCP connection, the TLS handshake, the answer. The guarded client and the TLS diagnosis
 * answer with these codes, so an administrator sees the same code in the API, the CLI and the log.
 */

export const NoCommonProtocol = defineError({
  code: 'tls.no_common_protocol',
  status: 400,
  summary: 'The server and Meridian share no TLS version (Meridian needs TLS 1.2 or 1.3).',
  fix: 'Enable TLS 1.2 or TLS 1.3 on the server.',
});

export const NoCommonCipher = defineError({
  code: 'tls.no_common_cipher',
  status: 400,
  summary:
    'The TLS handshake failed: the server and Meridian share no cipher suite (or the server refused the handshake).',
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
  fix: 'Check the port in the URL, that the server is running, and that no firewall rejects this machine.',
});

export const Timeout = defineError({
  code: 'net.timeout',
  status: 400,
  summary: 'The server did not answer in time.',
  fix: 'Check that the host and port are right and reachable from this machine (firewall, proxy), then try again.',
});

export const DnsFailure = defineError({
  code: 'net.dns_failure',
  status: 400,
  summary: 'The host name does not resolve.',
  fix: 'Check the spelling of the host name, and that this machine’s DNS (or /etc/hosts) knows it.',
});

export const NetworkError = defineError({
  code: 'net.error',
  status: 400,
  summary: 'The connection to the server failed.',
  fix: 'Check the network path between this machine and the server; the message names the system error.',
});

export const ResponseIncomplete = defineError({
  code: 'outbound.response_incomplete',
  status: 400,
  summary: 'The server closed the connection before the whole answer arrived.',
  fix: 'Try again; if it keeps happening, check the server (and any proxy in between) for crashes or timeouts while it sends large documents.',
});

export const CertificateRejected = defineError({
  code: 'outbound.certificate_rejected',
  status: 400,
  summary: 'The server’s certificate was refused, and no diagnosis was at hand to say why in detail.',
  fix: 'Run `meridian doctor <url>` (`meridian server doctor <url>` on a GIS server; or POST portaladmin/security/diagnose on a portal) for the cause and the fix.',
});
