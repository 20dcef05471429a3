/**
 * The real identity providers of e2e/saml-interop.test.ts and e2e/saml-federation-interop.test.ts, each run as a child process on
 * loopback over HTTPS with a certificate from the test's own CA: pysaml2 (Debian's
 * python3-pysaml2, e2e/idp/pysaml2-idp.py) and SimpleSAMLphp (Debian's simplesamlphp, served by
 * `php -S`, behind a TLS front end in this process because PHP's built-in server only speaks
 * HTTP). Chromium trusting both the portal's CA and the test CA is e2e/browser.ts's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { type SpRemote, type SspUser, writeSspConfig, writeSspUsers } from './simplesamlphp/config.ts';

export interface Pem {
  keyPem: string;
  certPem: string;
}

/** What the portal's SP metadata says (the first signing and encryption certificates). */
export function readSpMetadata(xml: string): SpRemote {
  const cert = (use: string) =>
    new RegExp(`<md:KeyDescriptor use="${use}">.*?<ds:X509Certificate>([^<]+)</`, 's').exec(xml)?.[1];
  const signing = cert('signing');
  const encryption = cert('encryption');
  if (!signing || !encryption) throw new Error(`SP metadata without certificates: ${xml.slice(0, 300)}`);
  return {
    entityId: /entityID="([^"]+)"/.exec(xml)![1]!,
    acs: /<md:AssertionConsumerService [^>]*Location="([^"]+)"/.exec(xml)![1]!,
    slo: /<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="([^"]+)"/.exec(
      xml,
    )?.[1],
    signingCertB64: signing.replace(/\s+/g, ''),
    encryptionCertB64: encryption.replace(/\s+/g, ''),
  };
}

/** Waits for the child's first stdout line (its JSON "ready" line); fails with its stderr if it exits. */
function readyLine(child: ChildProcess, name: string, ms = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${name} not ready in ${ms} ms: ${err}`)), ms);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}): ${err}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface Pysaml2User {
  password: string;
  givenName: string;
  sn: string;
  mail: string;
}

export interface RunningPysaml2 {
  url: string;
  entityId: string;
  metadataUrl: string;
  setUsers(users: Record<string, Pysaml2User>): void;
  /** aes256-gcm (configured), or pysaml2-default (3DES-CBC in pysaml2 7.0.1). */
  setEncryption(e: 'aes256-gcm' | 'pysaml2-default'): void;
  // biome-ignore lint/suspicious/noExplicitAny: the IdP's JSON event log, checked by the tests.
  events(fetchJson: (url: string) => Promise<any>): Promise<any[]>;
  close(): Promise<void>;
}

export async function startPysaml2(o: {
  tls: Pem;
  signing: Pem;
  spMetadataXml: string;
  users: Record<string, Pysaml2User>;
  /** The mdui:DisplayName its metadata publishes (for a federation's chooser). */
  displayName?: string;
}): Promise<RunningPysaml2> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-pysaml2-'));
  const f = (name: string, content: string) => {
    const p = join(dir, name);
    writeFileSync(p, content, { mode: 0o600 });
    return p;
  };
  const settings = {
    tlsCert: f('tls.crt', o.tls.certPem),
    tlsKey: f('tls.key', o.tls.keyPem),
    signCert: f('sign.crt', o.signing.certPem),
    signKey: f('sign.key', o.signing.keyPem),
    spMetadata: f('sp.xml', o.spMetadataXml),
    usersFile: f('users.json', JSON.stringify(o.users)),
    controlFile: f('control.json', JSON.stringify({ encryption: 'aes256-gcm' })),
    port: 0,
    displayName: o.displayName ?? null,
  };
  const child = spawn(
    '/usr/bin/python3',
    [new URL('./pysaml2-idp.py', import.meta.url).pathname, f('settings.json', JSON.stringify(settings))],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: dir },
    },
  );
  let ready: { url: string; entityId: string };
  try {
    ready = JSON.parse(await readyLine(child, 'pysaml2 IdP'));
  } catch (e) {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: ready.url,
    entityId: ready.entityId,
    metadataUrl: `${ready.url}/metadata`,
    setUsers: (users) => writeFileSync(settings.usersFile, JSON.stringify(users)),
    setEncryption: (encryption) => writeFileSync(settings.controlFile, JSON.stringify({ encryption })),
    events: (fetchJson) => fetchJson(`${ready.url}/events`),
    async close() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunningSimpleSamlPhp {
  url: string;
  entityId: string;
  metadataUrl: string;
  setUsers(users: Record<string, SspUser>): void;
  /** SimpleSAMLphp's log (its INFO lines say what it checked). */
  log(): string;
  close(): Promise<void>;
}

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );

/**
 * SimpleSAMLphp from Debian served by `php -S 127.0.0.1:<port>` (docroot its www/), reached
 * through a TLS front end on another loopback port that forwards the bytes: the browser and the
 * portal see https://127.0.0.1:<tls port>/, which is also SimpleSAMLphp's baseurlpath.
 */
export async function startSimpleSamlPhp(o: {
  tls: Pem;
  signing: Pem;
  sp: SpRemote;
  users: Record<string, SspUser>;
  /** The mdui:DisplayName its metadata publishes (for a federation's chooser). */
  displayName?: string;
}): Promise<RunningSimpleSamlPhp> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-simplesamlphp-'));
  const phpPortFinder = createServer();
  const phpPort = await listen(phpPortFinder);
  await new Promise((r) => phpPortFinder.close(r));
  const front = createTlsServer({ key: o.tls.keyPem, cert: o.tls.certPem }, (socket) => {
    const back = connect(phpPort, '127.0.0.1');
    socket.pipe(back).pipe(socket);
    socket.on('error', () => back.destroy());
    back.on('error', () => socket.destroy());
  });
  const port = await listen(front);
  const url = `https://127.0.0.1:${port}`;
  writeSspConfig(dir, {
    baseUrl: `${url}/`,
    salt: randomBytes(24).toString('hex'),
    ...o.signing,
    sp: o.sp,
    displayName: o.displayName,
  });
  writeSspUsers(dir, o.users);
  mkdirSync(join(dir, 'php'), { recursive: true });
  const child = spawn(
    'php',
    ['-d', 'opcache.enable_cli=0', '-S', `127.0.0.1:${phpPort}`, '-t', '/usr/share/simplesamlphp/www'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: dir, TMPDIR: join(dir, 'php') },
    },
  );
  // php -S says "Development Server … started" on stderr: wait until it accepts connections.
  const end = Date.now() + 15_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(phpPort, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (child.exitCode !== null || Date.now() > end) throw new Error('php -S did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    entityId: `${url}/saml2/idp/metadata.php`,
    metadataUrl: `${url}/saml2/idp/metadata.php`,
    setUsers: (users) => writeSspUsers(dir, users),
    log: () => {
      const file = join(dir, 'log', 'simplesamlphp.log');
      return existsSync(file) ? readFileSync(file, 'utf8') : '';
    },
    async close() {
      await stop(child);
      await new Promise((r) => front.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
