import { importSigningKey } from './keys.ts';
import { defaultSan, type SubjectFields, sanExtension, subjectName } from './subject.ts';
import { x509 } from './x509-provider.ts';

export interface GenerateCsrOptions extends SubjectFields {
  /** The stored private key (PKCS#8 or traditional PEM) the CA will certify. */
  keyPem: string;
  /** DNS names and IP addresses; defaults to the common name. */
  san?: string[];
}

/** A PKCS#10 certificate signing request (PEM) for an existing key, to send to a CA. */
export async function generateCsr(opts: GenerateCsrOptions): Promise<string> {
  const name = subjectName(opts);
  const san = defaultSan(opts.cn, opts.san);
  const key = await importSigningKey(opts.keyPem);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: new x509.Name(name),
    keys: { privateKey: key.privateKey, publicKey: key.publicKey },
    signingAlgorithm: key.signingAlgorithm,
    extensions: [
      ...(san.length ? [sanExtension(san)] : []),
      new x509.KeyUsagesExtension(
        (key.signingAlgorithm as { name: string }).name === 'ECDSA'
          ? x509.KeyUsageFlags.digitalSignature
          : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
    ],
  });
  return `${csr.toString('pem')}\n`;
}
