/** Helpers of the certificate and trust store tests: uploads, table snapshots, the served certificate, an openssl CA. */
import { spawn } from 'node:child_process';
import type { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { FormData, type TestPortal } from '../../../test/portal.ts';
import { openssl, type TempDir } from '../test-helpers.ts';

/** POST multipart form fields and at most one file part named `file`; the JSON answer. */
export async function upload(
  portal: TestPortal,
  path: string,
  fields: Record<string, string>,
  file?: { name: string; data: Uint8Array | string },
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary portaladmin JSON answers.
): Promise<any> {
  const form = new FormData();
  form.set('f', 'json');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file)
    form.set(
      'file',
      new Blob([typeof file.data === 'string' ? file.data : new Uint8Array(file.data)]),
      file.name,
    );
  const res = await portal.fetch(path, { method: 'POST', body: form });
  return res.json();
}

/** Everything the certificate and trust stores hold, plus the HTTPS settings, to compare before/after. */
export async function snapshot(portal: TestPortal): Promise<unknown> {
  const k = portal.kernel.db.kysely;
  return {
    certificates: await k.selectFrom('pki_certificates').selectAll().orderBy('alias').execute(),
    trust: await k.selectFrom('pki_trust_store').selectAll().orderBy('alias').execute(),
    tls: await k.selectFrom('tls_settings').selectAll().execute(),
  };
}

/** The leaf a new TLS connection to the portal is served (no verification: we only look). */
export function servedCertificate(port: number, servername = 'localhost'): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const cert = s.getPeerX509Certificate();
      s.end();
      if (cert) resolve(cert);
      else reject(new Error('no certificate served'));
    });
    s.on('error', reject);
  });
}

export async function eventually<T>(ms: number, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const t0 = Date.now();
  let last: T;
  do {
    last = await fn();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() - t0 < ms);
  return last;
}

/** A CA made by openssl itself (RSA), in dir: ca.key, ca.pem. */
export function opensslCa(dir: TempDir, cn: string): string {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '365',
      '-subj',
      `/O=Meridian Tests/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir.path,
  );
  return dir.read('ca.pem').toString();
}

/** openssl x509 -req: signs `csrFile` with the CA in dir, copying the CSR's extensions; writes `out`. */
export function opensslSign(dir: TempDir, csrFile: string, out: string, days = 90): void {
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csrFile,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      out,
      '-days',
      String(days),
      '-copy_extensions',
      'copyall',
    ],
    dir.path,
  );
}

/** A key + server certificate for localhost issued by the openssl CA: server.key, server.pem. */
export function opensslServerCert(dir: TempDir, cn = 'localhost'): void {
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      `subjectAltName=DNS:${cn},IP:127.0.0.1`,
      '-addext',
      'extendedKeyUsage=serverAuth',
    ],
    dir.path,
  );
  opensslSign(dir, 'server.csr', 'server.pem');
}

/**
 * Runs a command without blocking the event loop (the portal under test runs in this process,
 * so openssl s_client or curl must not be run with a *Sync call). stdin is closed at once.
 */
export function run(
  cmd: string,
  args: string[],
  cwd?: string,
): Promise<{ ok: boolean; code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ok: code === 0, code: code ?? -1, out }));
    child.stdin.end();
  });
}
