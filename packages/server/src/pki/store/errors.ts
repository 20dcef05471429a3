import { defineError } from '../../kernel/errors/meridian-error.ts';

/** Errors of the certificate store and the trust store (the PKI library's own are in ../errors.ts). */

export const CertAliasNotFound = defineError({
  code: 'pki.alias_not_found',
  status: 404,
  summary: 'No certificate in the certificate store has this alias.',
  fix: 'List the certificates (GET portaladmin/security/sslCertificates or `meridian cert list`) and use one of their aliases.',
});

export const CertAliasExists = defineError({
  code: 'pki.alias_exists',
  status: 409,
  summary: 'A certificate with this alias is already in the certificate store.',
  fix: 'Choose another alias. To replace a certificate in use: import or generate it under a new alias, switch to it with sslCertificates/update (webServerCertificateAlias), then delete the old alias.',
});

export const CertAliasInUse = defineError({
  code: 'pki.alias_in_use',
  status: 409,
  summary: 'The certificate is in use as the web server certificate or as an SNI certificate.',
  fix: 'Switch the web server (or the SNI host name) to another certificate with sslCertificates/update first, then delete this one.',
});

export const TrustAliasNotFound = defineError({
  code: 'trust.alias_not_found',
  status: 404,
  summary: 'No certificate in the trust store has this alias.',
  fix: 'List the trust store (GET portaladmin/security/trustStore or `meridian trust list`) and use one of its aliases.',
});

export const TrustAliasExists = defineError({
  code: 'trust.alias_exists',
  status: 409,
  summary: 'Another certificate in the trust store already has this alias.',
  fix: 'Choose another alias, or remove the existing entry first.',
});

export const TrustBuiltIn = defineError({
  code: 'trust.built_in',
  status: 400,
  summary: 'The portal’s own root CA is always trusted and cannot be removed or replaced in the trust store.',
  fix: 'Nothing to do: partner portals of this installation are trusted through it. Remove other entries by their alias.',
});

export const TrustFingerprintMismatch = defineError({
  code: 'trust.fingerprint_mismatch',
  status: 400,
  summary:
    'The certificate the server presents now does not have the SHA-256 fingerprint the administrator confirmed.',
  fix: 'Nothing was imported. Diagnose the URL again, compare the fingerprint with the other side’s administrator (out of band), and confirm the fingerprint shown.',
});

export const TrustNothingToTrust = defineError({
  code: 'trust.nothing_to_trust',
  status: 400,
  summary:
    'Trusting a certificate would not fix this connection (it is already trusted, or the problem is elsewhere).',
  fix: 'Read the diagnosis: its code and fix say what to change (the server’s configuration, the URL, the network).',
});

export const UnsuitableServerCertificate = defineError({
  code: 'pki.unsuitable_server_certificate',
  status: 400,
  summary:
    'The certificate cannot serve this portal: it does not cover the portal’s host name (or the SNI host name), is expired or not yet valid, or its key usage does not allow a TLS server.',
  fix: 'Nothing was changed. Choose a certificate that fits: generate one for the host name, or import the one your CA issued for it. To serve it anyway (browsers and partner portals will refuse the connection), repeat with force=true (CLI: `meridian cert use ALIAS --force`).',
});

export const ServedCertificateInvalid = defineError({
  code: 'pki.served_certificate_invalid',
  status: 503,
  summary:
    'The health check found a certificate this node serves (web server or SNI) expired or not yet valid: clients refuse the connection.',
  fix: 'Renew it (generate a CSR and import the reply, or import a new PKCS#12) and switch to it with sslCertificates/update; if it is not valid yet, check the clock of this machine.',
});
