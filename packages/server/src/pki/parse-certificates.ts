import { createPrivateKey, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { derCompleteness, looksLikeDer, readDerFrame } from './der.ts';
import { CertificateTruncated, NotACertificate } from './errors.ts';
import { toPem } from './pem.ts';

/**
 * Reads the certificates of an uploaded or pasted file: PEM (one certificate or a bundle),
 * DER (.cer/.crt), PKCS#7 (.p7b/.p7c, PEM or DER), or bare Base-64 DER. Private keys and
 * other PEM blocks in the same file are skipped, never returned. Anything else is refused
 * with an error that says what the file is and what was expected.
 */
export type CertificateFileFormat = 'pem' | 'der' | 'pkcs7' | 'base64';

export interface ParsedCertificates {
  format: CertificateFileFormat;
  certificates: X509Certificate[];
  /** Labels of other PEM blocks that were skipped (for example "PRIVATE KEY"). */
  skipped: string[];
}

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const PKCS7_LABELS = new Set(['PKCS7', 'CMS', 'PKCS #7 SIGNED DATA']);
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_DATA = '1.2.840.113549.1.7.1';

/** The certificates of `input`, in file order. Throws pki.not_a_certificate / pki.certificate_truncated. */
export function parseCertificates(input: string | Uint8Array): X509Certificate[] {
  return parseCertificateFile(input).certificates;
}

export function parseCertificateFile(input: string | Uint8Array): ParsedCertificates {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
  if (buf.length === 0)
    throw new MeridianError(NotACertificate, 'The file is empty: expected a certificate.');
  const text = buf.toString('latin1');
  if (text.includes('-----BEGIN ')) return parsePem(text);
  if (looksLikeDer(buf)) return parseBinary(buf, 'der');
  const compact = text.replace(/\s+/g, '');
  if (compact.length >= 64 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    const der = Buffer.from(compact, 'base64');
    if (looksLikeDer(der)) return parseBinary(der, 'base64');
  }
  throw new MeridianError(
    NotACertificate,
    `The file is not a certificate: expected PEM, DER or PKCS#7, found ${describeContent(buf)}.`,
  );
}

/** PEM text of certificates, leaf first as given. */
export function certificatesToPem(certs: readonly X509Certificate[]): string {
  return certs.map((c) => `${c.toString().trimEnd()}\n`).join('');
}

function parsePem(text: string): ParsedCertificates {
  const lines = text.split(/\r?\n/);
  const certificates: X509Certificate[] = [];
  const skipped: string[] = [];
  let format: CertificateFileFormat = 'pem';
  for (let i = 0; i < lines.length; i++) {
    const begin = /^-----BEGIN ([A-Z0-9 #]+)-----$/.exec(lines[i]!.trim());
    if (!begin) continue;
    const label = begin[1]!;
    const lineNo = i + 1;
    const body: string[] = [];
    let end = -1;
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j]!.trim();
      if (l === `-----END ${label}-----`) {
        end = j;
        break;
      }
      if (l.startsWith('-----')) break;
      if (!l.includes(':')) body.push(l); // skip RFC 1421 headers such as Proc-Type
    }
    if (end < 0) {
      throw new MeridianError(
        CertificateTruncated,
        `The PEM block "${label}" at line ${lineNo} is truncated: its -----END ${label}----- line is missing.`,
      );
    }
    i = end;
    if (!CERT_LABELS.has(label) && !PKCS7_LABELS.has(label)) {
      skipped.push(label);
      continue;
    }
    const b64 = body.join('');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
      throw new MeridianError(
        NotACertificate,
        `The PEM block "${label}" at line ${lineNo} holds characters that are not Base-64: the file was altered.`,
      );
    }
    const der = Buffer.from(b64, 'base64');
    if (PKCS7_LABELS.has(label)) {
      format = 'pkcs7';
      certificates.push(...pkcs7Certificates(der, `The PEM block "${label}" at line ${lineNo}`));
      continue;
    }
    certificates.push(readCertificate(der, `The PEM block "${label}" at line ${lineNo}`, label));
  }
  if (certificates.length === 0) {
    const what = skipped.length
      ? `only ${skipped.map((s) => `"${s}"`).join(', ')} block(s)${skipped.includes('CERTIFICATE REQUEST') ? ' (a certificate signing request: send it to your CA and import the signed reply)' : ''}`
      : 'no certificate block';
    throw new MeridianError(
      NotACertificate,
      `The file is not a certificate: expected PEM, DER or PKCS#7, found ${what}.`,
    );
  }
  return { format, certificates, skipped };
}

function parseBinary(buf: Buffer, format: 'der' | 'base64'): ParsedCertificates {
  const state = derCompleteness(buf);
  if (state === 'truncated') {
    const f = readDerFrame(buf);
    throw new MeridianError(
      CertificateTruncated,
      `The file is truncated: it declares ${f ? f.total : 'more'} bytes but holds ${buf.length}.`,
    );
  }
  const der = state === 'trailing' ? buf.subarray(0, readDerFrame(buf)!.total) : buf;
  const kind = classifyDer(der);
  if (kind === 'pkcs7')
    return { format: 'pkcs7', certificates: pkcs7Certificates(der, 'The file'), skipped: [] };
  if (kind === 'certificate')
    return { format, certificates: [readCertificate(der, 'The file')], skipped: [] };
  throw new MeridianError(
    NotACertificate,
    `The file is not a certificate: expected PEM, DER or PKCS#7, found ${kind}.`,
  );
}

function readCertificate(der: Buffer, where: string, label = 'CERTIFICATE'): X509Certificate {
  const state = derCompleteness(der);
  if (state === 'truncated') {
    throw new MeridianError(
      CertificateTruncated,
      `${where} is truncated: part of the certificate is missing.`,
    );
  }
  // OpenSSL's TRUSTED CERTIFICATE is the certificate followed by trust settings.
  const body =
    label === 'TRUSTED CERTIFICATE' || state === 'trailing' ? der.subarray(0, readDerFrame(der)!.total) : der;
  try {
    return new X509Certificate(body);
  } catch (err) {
    throw new MeridianError(
      NotACertificate,
      `${where} does not hold a readable X.509 certificate: found ${classifyDer(body)}.`,
      { cause: err, detail: String(err) },
    );
  }
}

/** The certificates of a PKCS#7 / CMS SignedData (a "certs-only" .p7b). */
function pkcs7Certificates(der: Buffer, where: string): X509Certificate[] {
  if (derCompleteness(der) === 'truncated') {
    throw new MeridianError(CertificateTruncated, `${where} is truncated: the PKCS#7 bundle is cut short.`);
  }
  const parsed = asn1js.fromBER(der);
  const ci = parsed.result;
  const items = ci instanceof asn1js.Sequence ? ci.valueBlock.value : [];
  const oid = items[0] instanceof asn1js.ObjectIdentifier ? items[0].valueBlock.toString() : '';
  const wrapped = items[1] as asn1js.Constructed | undefined;
  const signedData = wrapped?.valueBlock.value?.[0];
  if (parsed.offset === -1 || oid !== OID_SIGNED_DATA || !(signedData instanceof asn1js.Sequence)) {
    throw new MeridianError(NotACertificate, `${where} is not a PKCS#7 certificate bundle (SignedData).`);
  }
  const certSet = signedData.valueBlock.value.find(
    (el) => el.idBlock.tagClass === 3 && el.idBlock.tagNumber === 0,
  ) as asn1js.Constructed | undefined;
  const out: X509Certificate[] = [];
  for (const el of certSet?.valueBlock.value ?? []) {
    if (!(el instanceof asn1js.Sequence)) continue; // attribute certificates and other formats
    out.push(
      readCertificate(Buffer.from(el.valueBeforeDecodeView), `A certificate in ${where.toLowerCase()}`),
    );
  }
  if (out.length === 0)
    throw new MeridianError(NotACertificate, `${where} is a PKCS#7 bundle without certificates.`);
  return out;
}

/** What a DER object is, in words (for error messages). */
function classifyDer(der: Buffer): 'certificate' | 'pkcs7' | string {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence))
    return 'binary data that is not ASN.1';
  const items = parsed.result.valueBlock.value;
  const first = items[0];
  if (first instanceof asn1js.ObjectIdentifier) {
    const oid = first.valueBlock.toString();
    if (oid === OID_SIGNED_DATA) return 'pkcs7';
    return `a PKCS#7/CMS object of type ${oid}, not a certificate bundle`;
  }
  if (
    first instanceof asn1js.Integer &&
    first.valueBlock.valueDec === 3 &&
    items[1] instanceof asn1js.Sequence
  ) {
    const inner = items[1].valueBlock.value[0];
    if (inner instanceof asn1js.ObjectIdentifier && inner.valueBlock.toString() === OID_DATA)
      return 'a PKCS#12 (.pfx/.p12) keystore: import it with its password as a key and certificate';
  }
  try {
    createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    return 'a private key (never share it): upload the certificate instead';
  } catch {}
  if (first instanceof asn1js.Sequence && items.length === 3) {
    const tbs = first.valueBlock.value;
    if (tbs[0] instanceof asn1js.Integer && tbs[0].valueBlock.valueDec === 0 && tbs.length === 4)
      return 'a certificate signing request (CSR): send it to your CA and import the signed reply';
    return 'certificate';
  }
  return 'an ASN.1 structure that is not a certificate';
}

function describeContent(buf: Buffer): string {
  const magic: [number[], string][] = [
    [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
    [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
    [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive'],
    [
      [0xfe, 0xed, 0xfe, 0xed],
      'a Java keystore (JKS): export the certificate with `keytool -exportcert -rfc`',
    ],
  ];
  for (const [bytes, name] of magic) if (bytes.every((b, i) => buf[i] === b)) return name;
  if (buf[0] === 0x30 && !readDerFrame(buf)) return 'a DER file that is cut short';
  const head = buf.subarray(0, 40).toString('latin1');
  if (/^[\x20-\x7e\r\n\t]*$/.test(head)) return `text starting with "${head.replace(/\s+/g, ' ').trim()}"`;
  return `binary data starting with ${[...buf.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}

/** The DER of a certificate as PEM. */
export function derToPem(der: Uint8Array): string {
  return toPem('CERTIFICATE', der);
}
