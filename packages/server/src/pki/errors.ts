import { defineError } from '../kernel/errors/meridian-error.ts';

/** Errors of certificate and key handling: parsing, generation, CSR replies, PKCS#12. */

export const NotACertificate = defineError({
  code: 'pki.not_a_certificate',
  status: 400,
  summary: 'The file is not a certificate: expected PEM, DER or PKCS#7 (.p7b).',
  fix: 'Export the certificate again as Base-64 (PEM) or DER (.cer), or as a PKCS#7 bundle (.p7b), and upload that file.',
});

export const CertificateTruncated = defineError({
  code: 'pki.certificate_truncated',
  status: 400,
  summary: 'The certificate file is cut short: part of it is missing.',
  fix: 'Copy or download the file again in full (PEM blocks end with a -----END …----- line) and upload it again.',
});

export const InvalidCertificateRequest = defineError({
  code: 'pki.invalid_request',
  status: 400,
  summary: 'A field of the certificate or signing request is invalid.',
  fix: 'Correct the field named in the message and try again.',
});

export const InvalidPrivateKey = defineError({
  code: 'pki.invalid_private_key',
  status: 400,
  summary: 'The private key cannot be read.',
  fix: 'Provide the key as PEM (PKCS#8 "PRIVATE KEY", "RSA PRIVATE KEY" or "EC PRIVATE KEY"); for an encrypted key give its password.',
});

export const KeyWrongPassword = defineError({
  code: 'pki.key_wrong_password',
  status: 400,
  summary: 'The private key is encrypted and the password does not open it.',
  fix: 'Enter the password the key was exported with.',
});

export const Pkcs12WrongPassword = defineError({
  code: 'pki.pkcs12_wrong_password',
  status: 400,
  summary: 'The password of the PKCS#12 (.pfx/.p12) file is wrong.',
  fix: 'Enter the password that was set when the file was exported (openssl pkcs12 -export asks for it as "Export Password").',
});

export const Pkcs12Truncated = defineError({
  code: 'pki.pkcs12_truncated',
  status: 400,
  summary: 'The PKCS#12 (.pfx/.p12) file is cut short: part of it is missing.',
  fix: 'Copy or download the file again in binary mode (not as text) and upload it again.',
});

export const Pkcs12Invalid = defineError({
  code: 'pki.pkcs12_invalid',
  status: 400,
  summary: 'The file is not a PKCS#12 (.pfx/.p12) keystore, or uses a format Meridian cannot read.',
  fix: 'Export the key and certificate again with `openssl pkcs12 -export -in cert.pem -inkey key.pem -certfile chain.pem -out server.pfx`, or upload the PEM key and certificate instead.',
});

export const KeyMismatch = defineError({
  code: 'pki.key_mismatch',
  status: 400,
  summary: 'The certificate does not match the private key.',
  fix: 'Import the certificate that the certificate authority issued for the CSR of this alias; a CSR made for another alias or machine has a different key.',
});

export const NoPrivateKey = defineError({
  code: 'pki.no_private_key',
  status: 400,
  summary: 'The file holds a certificate but no private key.',
  fix: 'Export the certificate WITH its private key (Windows: "Yes, export the private key" → .pfx; openssl: pkcs12 -export -inkey key.pem), or import it as a trusted certificate instead.',
});

export const ChainIncomplete = defineError({
  code: 'pki.chain_incomplete',
  status: 400,
  summary: 'The certificate chain cannot be completed: the certificate of an issuing CA is missing.',
  fix: 'Import the certificate of the CA named in the message (root or intermediate) into the trust store first, or include it in the file.',
});
