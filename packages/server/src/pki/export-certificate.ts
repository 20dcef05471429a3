import { type CertificateInput, toX509List } from './certificate-input.ts';
import { certificatesToPem } from './parse-certificates.ts';

export type ExportFormat = 'pem' | 'der';

export interface ExportedCertificate {
  filename: string;
  contentType: string;
  body: Buffer;
}

/**
 * A certificate as a file to download: DER (.cer, the leaf only, as Windows and IIS write it)
 * or PEM (.pem, the leaf and, when asked, its chain). Only certificates ever leave: any
 * private key in the input is dropped by the parser.
 */
export function exportCertificate(
  input: CertificateInput | readonly CertificateInput[],
  format: ExportFormat,
  opts: { name?: string; includeChain?: boolean } = {},
): ExportedCertificate {
  const certs = toX509List(
    Array.isArray(input) ? (input as CertificateInput[]) : [input as CertificateInput],
  );
  const base = (opts.name ?? 'certificate').replace(/[^A-Za-z0-9._-]/g, '_');
  if (format === 'der') {
    return {
      filename: `${base}.cer`,
      contentType: 'application/pkix-cert',
      body: Buffer.from(certs[0]!.raw),
    };
  }
  const list = opts.includeChain ? certs : certs.slice(0, 1);
  return {
    filename: `${base}.pem`,
    contentType: 'application/x-pem-file',
    body: Buffer.from(certificatesToPem(list), 'utf8'),
  };
}
