import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { completeChain } from './complete-chain.ts';
import { type CertificateDetails, describeCertificate } from './describe-certificate.ts';
import { KeyMismatch } from './errors.ts';
import { certificateMatchesKey, readPrivateKey } from './keys.ts';
import { certificatesToPem, parseCertificates } from './parse-certificates.ts';

export interface ImportSignedCertificateInput {
  /** The alias whose key the CSR was made for. */
  alias: string;
  /** That alias's stored private key. */
  keyPem: string;
  /** The CA's reply: PEM (one or a bundle), DER or PKCS#7, with or without its chain. */
  reply: string | Uint8Array;
  /** Trust store entries (PEM) used to complete the chain. */
  trustAnchors?: readonly string[];
  /** Accept a chain that cannot be completed (stored as is, with a warning). Default false. */
  allowIncompleteChain?: boolean;
}

export interface ImportedCertificate {
  alias: string;
  /** The leaf, PEM. */
  certPem: string;
  /** Its issuers leaf → root, PEM (empty for a self-signed leaf). */
  chainPem: string;
  /** Details of leaf, then each issuer. */
  chain: CertificateDetails[];
  chainComplete: boolean;
  warnings: string[];
}

/**
 * Takes the CA's answer to a CSR for a stored key: finds the certificate of that key,
 * refuses one issued for another key, and completes and orders the chain leaf → root.
 * Pure: the caller stores the result (in a transaction) only when this returns.
 */
export function importSignedCertificate(input: ImportSignedCertificateInput): ImportedCertificate {
  const key = readPrivateKey(input.keyPem);
  const certs = parseCertificates(input.reply);
  const leaf = certs.find((c) => certificateMatchesKey(c, key));
  if (!leaf) {
    const names = certs.map((c) => describeCertificate(c).subject).join('; ');
    throw new MeridianError(
      KeyMismatch,
      `The certificate does not match the private key of alias ${input.alias}: it was issued for a different CSR (the file holds ${names}). Import the reply to the CSR generated for ${input.alias}.`,
    );
  }
  const others = certs.filter((c) => c !== leaf);
  const done = completeChain(leaf, others, input.trustAnchors ?? [], input.allowIncompleteChain);
  const details = done.chain.map((c) => describeCertificate(c));
  const expiry = details[0]!.expiry;
  if (expiry.state !== 'valid')
    done.warnings.push(
      `The certificate is ${expiry.state.replace(/_/g, ' ')} (${expiry.daysLeft} day(s) left).`,
    );
  return {
    alias: input.alias,
    certPem: certificatesToPem([leaf]),
    chainPem: certificatesToPem(done.chain.slice(1)),
    chain: details,
    chainComplete: done.complete,
    warnings: done.warnings,
  };
}
