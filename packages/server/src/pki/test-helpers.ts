/** Helpers for the PKI, diagnosis and outbound tests: the real openssl command and temp dirs. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type GenerateCertificateOptions,
  type GeneratedCertificate,
  generateCertificate,
} from './generate-certificate.ts';
import type { KeyAndCert } from './local-ca.ts';

export interface TempDir {
  path: string;
  file(name: string): string;
  write(name: string, data: string | Uint8Array): string;
  read(name: string): Buffer;
  remove(): void;
}

export function tempDir(prefix = 'meridian-pki-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    write: (name, data) => {
      writeFileSync(join(path, name), data);
      return join(path, name);
    },
    read: (name) => readFileSync(join(path, name)),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** Runs openssl; throws with its stderr on failure. */
export function openssl(args: string[], cwd?: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Like openssl(), but returns {ok, out} instead of throwing. */
export function tryOpenssl(args: string[], cwd?: string): { ok: boolean; out: string } {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export const asIssuer = (g: GeneratedCertificate): KeyAndCert => ({ keyPem: g.keyPem, certPem: g.certPem });

/** A small CA hierarchy: root → intermediate, both EC P-256 (fast). */
export async function caHierarchy(
  name = 'Test',
): Promise<{ root: GeneratedCertificate; inter: GeneratedCertificate }> {
  const root = await generateCertificate({
    alias: 'root',
    cn: `${name} Root CA`,
    org: 'Meridian Tests',
    keyAlg: 'EC',
    isCA: true,
    validityDays: 3650,
  });
  const inter = await generateCertificate({
    alias: 'inter',
    cn: `${name} Issuing CA`,
    org: 'Meridian Tests',
    keyAlg: 'EC',
    isCA: true,
    pathLength: 0,
    issuer: asIssuer(root),
    validityDays: 1825,
  });
  return { root, inter };
}

export function leafOptions(extra: Partial<GenerateCertificateOptions> = {}): GenerateCertificateOptions {
  return {
    alias: 'leaf',
    cn: 'localhost',
    san: ['localhost', '127.0.0.1'],
    keyAlg: 'EC',
    validityDays: 90,
    ...extra,
  };
}
