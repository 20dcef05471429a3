/**
 * A self-signed certificate for localhost (openssl), as a PKCS#12 file a GIS server's
 * importExistingServerCertificate takes: the "self-signed certificate" cause of seed 001.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SelfSigned {
  certPem: string;
  pfx: Buffer;
  password: string;
}

export function selfSignedLocalhost(dir: string): SelfSigned {
  const run = (args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  run([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'self.key',
    '-out',
    'self.pem',
    '-days',
    '30',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  const password = 'self-signed-pfx';
  run([
    'pkcs12',
    '-export',
    '-in',
    'self.pem',
    '-inkey',
    'self.key',
    '-out',
    'self.pfx',
    '-passout',
    `pass:${password}`,
  ]);
  return {
    certPem: readFileSync(join(dir, 'self.pem'), 'utf8'),
    pfx: readFileSync(join(dir, 'self.pfx')),
    password,
  };
}
