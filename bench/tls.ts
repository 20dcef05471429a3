/**
 * npm run bench -- tls [--smoke]
 *
 * Full TLS handshakes per second, resumed handshakes per second, and keep-alive HTTPS
 * requests per second: Meridian's portal against nginx (Debian package) serving the SAME
 * certificate and key, in one run. nginx runs one worker process, as the portal runs one Node
 * process. Handshakes are driven by parallel `openssl s_time` clients, requests by autocannon.
 * Before timing, each server's chain is verified by `openssl s_client`; while timing, every
 * handshake must be of the kind measured (new or resumed) and every answer the expected body.
 * Target (issue #3): full handshakes ≥ 0.5 × nginx.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WEB_ALIAS } from '../packages/server/src/pki/module.ts';
import { loadPortalConfig, openPortalNode } from '../packages/server/src/roles/portal.ts';
import { BenchCaseFailed, expectCase } from './case-failed.ts';
import { expectClean, load } from './load.ts';
import type { BenchOptions } from './options.ts';
import { freePort, startPortalProcess, stopChildren } from './processes.ts';

/** Runs a command with no input; resolves with its exit code and output. */
function runTool(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.once('error', reject);
    p.once('close', (code) => resolve({ code, out }));
  });
}

async function which(cmd: string): Promise<boolean> {
  return (await runTool('sh', ['-c', `command -v ${cmd}`])).code === 0;
}

/** The server's chain verifies against the CA for the name localhost, over TLS 1.2. */
async function expectVerifiedChain(caseName: string, port: number, ca: string): Promise<void> {
  const r = await runTool('openssl', [
    's_client',
    '-connect',
    `127.0.0.1:${port}`,
    '-servername',
    'localhost',
    '-verify_hostname',
    'localhost',
    '-verify_return_error',
    '-CAfile',
    ca,
    '-tls1_2',
  ]);
  expectCase(
    r.code === 0 && /Verify return code: 0 \(ok\)/.test(r.out),
    caseName,
    () => `the TLS handshake did not verify: ${r.out.slice(-600)}`,
  );
}

/**
 * Parallel `openssl s_time` clients for `seconds`; returns handshakes per second (summed).
 * s_time prints one character per connection: '*' a full TLS 1.2 handshake, 'r' a resumed
 * one. Every timed connection must be of the kind measured, and every client must succeed.
 */
async function sTime(
  caseName: string,
  port: number,
  mode: '-new' | '-reuse',
  ca: string,
  seconds: number,
  clients: number,
): Promise<number> {
  const args = ['s_time', '-connect', `127.0.0.1:${port}`, mode, '-time', String(seconds)];
  const runs = Array.from({ length: clients }, async () => {
    const { code, out } = await runTool('openssl', [...args, '-CAfile', ca, '-tls1_2']);
    // "1234 connections in 9 real seconds, 0 bytes read per connection"
    const m = /(\d+) connections in (\d+) real seconds/.exec(out);
    expectCase(
      code === 0 && m !== null,
      caseName,
      () => `openssl s_time failed (${code}): ${out.slice(-600)}`,
    );
    const connections = Number(m[1]);
    const progress = out
      .split('\n')
      .filter((line) => /^[*r]+$/.test(line))
      .join('');
    const resumed = progress.split('r').length - 1;
    expectCase(connections > 0, caseName, () => 'no connection was made');
    expectCase(
      mode === '-new' ? resumed === 0 : resumed >= connections - 1,
      caseName,
      () =>
        `${resumed} of ${connections} connections were resumed: the case measures ${mode === '-new' ? 'full' : 'resumed'} handshakes only`,
    );
    return connections / Number(m[2]);
  });
  return (await Promise.all(runs)).reduce((a, b) => a + b, 0);
}

function nginxConf(dir: string, port: number): string {
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  ssl_session_cache shared:SSL:10m;
  ssl_session_tickets on;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    keepalive_requests 1000000;
    location / { default_type application/json; return 200 '{"currentVersion":"2024.1"}'; }
  }
}
`;
}

/** Starts nginx in the foreground and waits until its port takes connections. */
async function startNginx(dir: string, port: number, children: ChildProcess[]): Promise<void> {
  const nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(nginx);
  for (let i = 0; i < 100; i++) {
    if (nginx.exitCode !== null) throw new BenchCaseFailed('nginx', `nginx exited with ${nginx.exitCode}`);
    const { code } = await runTool('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-brief']);
    if (code === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new BenchCaseFailed('nginx', `nginx did not accept connections on port ${port} within 10 s`);
}

export async function run(opts: BenchOptions): Promise<void> {
  for (const cmd of ['nginx', 'openssl'])
    if (!(await which(cmd))) throw new Error(`bench tls needs ${cmd}: apt-get install ${cmd}`);
  const seconds = opts.seconds(8);
  const clients = opts.smoke ? 1 : 4;
  const home = mkdtempSync(join(tmpdir(), 'meridian-bench-tls-'));
  const children: ChildProcess[] = [];
  try {
    // The portal's own certificate, extracted once so nginx serves exactly the same one.
    // Opening the node issues the portal's web server certificate, as a first start does.
    const node = await openPortalNode(loadPortalConfig({ env: {}, overrides: { home } }), { logger: false });
    const cert = (await node.modules.pki.loadCertificate(DEFAULT_WEB_ALIAS))!;
    const caPem = await node.modules.pki.localCaPem();
    await node.close();
    const ngx = join(home, 'nginx');
    mkdirSync(join(ngx, 'logs'), { recursive: true });
    writeFileSync(join(ngx, 'cert.pem'), cert.certChainPem);
    writeFileSync(join(ngx, 'key.pem'), cert.keyPem, { mode: 0o600 });
    const ca = join(home, 'ca.pem');
    writeFileSync(ca, caPem);
    const nginxPort = await freePort();
    writeFileSync(join(ngx, 'nginx.conf'), nginxConf(ngx, nginxPort));
    await startNginx(ngx, nginxPort, children);
    const portal = await startPortalProcess({
      home,
      caPem,
      children,
      env: { MERIDIAN_ADMIN_PASSWORD: 'Bench-passw0rd!' },
    });
    await expectVerifiedChain('nginx handshake', nginxPort, ca);
    await expectVerifiedChain('Meridian handshake', portal.port, ca);

    const rows: [string, number, number][] = [];
    const full = 'full handshakes/s (TLS 1.2, ECDSA P-256)';
    const nFull = await sTime(`nginx ${full}`, nginxPort, '-new', ca, seconds, clients);
    const mFull = await sTime(`Meridian ${full}`, portal.port, '-new', ca, seconds, clients);
    rows.push([full, nFull, mFull]);
    const resumed = 'resumed handshakes/s';
    const nRes = await sTime(`nginx ${resumed}`, nginxPort, '-reuse', ca, seconds, clients);
    const mRes = await sTime(`Meridian ${resumed}`, portal.port, '-reuse', ca, seconds, clients);
    rows.push([resumed, nRes, mRes]);
    const requests = 'keep-alive HTTPS requests/s';
    const isVersion = (body: string) => body.startsWith('{"currentVersion":');
    const nReq = await load({ url: `https://127.0.0.1:${nginxPort}/`, verify: isVersion, seconds });
    expectClean(`nginx ${requests}`, nReq);
    const mReq = await load({
      url: `https://127.0.0.1:${portal.port}/sharing/rest?f=json`,
      verify: isVersion,
      seconds,
    });
    expectClean(`Meridian ${requests}`, mReq);
    rows.push([requests, nReq.rps, mReq.rps]);

    console.log(
      `\ntls benchmark${opts.smoke ? ' (SMOKE: figures mean nothing)' : ''}: ${seconds} s per case, ` +
        `${clients} parallel s_time clients, 16 autocannon connections, one run`,
    );
    console.log('nginx: 1 worker process; Meridian: 1 Node process; same certificate and key\n');
    console.log(
      `${'case'.padEnd(44)} ${'nginx'.padStart(10)} ${'Meridian'.padStart(10)} ${'ratio'.padStart(7)}`,
    );
    for (const [name, n, m] of rows)
      console.log(
        `${name.padEnd(44)} ${n.toFixed(0).padStart(10)} ${m.toFixed(0).padStart(10)} ${(m / n).toFixed(2).padStart(7)}`,
      );
    console.log(
      `\nkeep-alive requests p50/p99 ms: nginx ${nReq.p50.toFixed(1)}/${nReq.p99.toFixed(1)}, ` +
        `Meridian ${mReq.p50.toFixed(1)}/${mReq.p99.toFixed(1)}`,
    );
    console.log(
      `full handshakes: Meridian / nginx = ${(mFull / nFull).toFixed(2)} (target ≥ 0.50: ${mFull / nFull >= 0.5 ? 'met' : 'NOT met'})`,
    );
  } finally {
    await stopChildren(children);
    rmSync(home, { recursive: true, force: true });
  }
}
