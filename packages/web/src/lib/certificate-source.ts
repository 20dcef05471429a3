import type { CertificateSource } from '../api/security.ts';

/** Why a certificate source cannot be sent, or null when it can. */
export function sourceProblem(source: CertificateSource): string | null {
  const hasFile = !!source.file;
  const hasPem = !!source.pem?.trim();
  if (hasFile && hasPem) return 'Give either a file or pasted PEM text, not both.';
  if (!hasFile && !hasPem) return 'Choose a certificate file or paste the PEM text.';
  return null;
}
