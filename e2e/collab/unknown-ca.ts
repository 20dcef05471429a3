/**
 * A CA no portal knows and a localhost server certificate it issued, as the PKCS#12 file a
 * portal's portaladmin/security/sslCertificates/importExistingServerCertificate takes: what a
 * partner that replaces its certificate with one from another CA serves.
 */
import { X509Certificate } from 'node:crypto';
import { opensslCa, opensslServerCert } from '../../packages/server/src/pki/routes/test-support.ts';
import { openssl, tempDir } from '../../packages/server/src/pki/test-helpers.ts';

export interface UnknownCa {
  caPem: string;
  /** The CA's SHA-256 fingerprint as Node prints it (AB:CD:…). */
  caFingerprint: string;
  /** The server key, its certificate and the CA, as PKCS#12. */
  pfx: Buffer;
  password: string;
}

export function unknownCaServerCertificate(name: string): UnknownCa {
  const dir = tempDir('meridian-unknown-ca-');
  try {
    const caPem = opensslCa(dir, name);
    opensslServerCert(dir, 'localhost');
    const password = 'unknown-ca-pfx';
    openssl(
      ['pkcs12', '-export', '-in', 'server.pem', '-inkey', 'server.key', '-certfile', 'ca.pem'].concat([
        '-out',
        'server.pfx',
        '-passout',
        `pass:${password}`,
      ]),
      dir.path,
    );
    return {
      caPem,
      caFingerprint: new X509Certificate(caPem).fingerprint256,
      pfx: dir.read('server.pfx'),
      password,
    };
  } finally {
    dir.remove();
  }
}
