/**
 * npm run bench -- tls
 *
 * Full TLS handshakes per second, resumed handshakes per second, and keep-alive HTTPS
 * requests per second: Meridian's portal against nginx (Debian package) serving the SAME
 * certificate and key, in one run. nginx runs one worker process, as the portal runs one Node
 * process. Handshakes are driven by parallel `openssl s_time` clients, requests by autocannon.
 * Target (issue #3): full handshakes ≥ 0.5 × nginx.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../packages/server/src/config/load.ts';
import {
  DEFAULT_WEB_ALIAS,
  loadCertificate,
  localCaCertPem,
} from '../packages/server/src/pki/local-ca-store.ts';
import { openPortalCore } from '../packages/server/src/start-portal.ts';
import { WebTls } from '../packages/server/src/tls/web-tls.ts';
import { load } from './load.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const PORTAL_PORT = 17_543;
const NGINX_PORT = 17_544;

function which(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
}

for (const [cmd, pkg] of [
  ['nginx', 'nginx'],
  ['openssl', 'openssl'],
]) {
  if (!which(cmd)) {
    console.error(`bench tls needs ${cmd}: apt-get install ${pkg}`);
    process.exit(2);
  }
}

/** Parallel `openssl s_time` clients; returns handshakes per second (summed). */
async function sTime(port: number, mode: '-new' | '-reuse', ca: string): Promise<number> {
  const runs = Array.from(
    { length: CLIENTS },
    () =>
      new Promise<number>((resolve, reject) => {
        const p = spawn(
          'openssl',
          [
            's_time',
            '-connect',
            `127.0.0.1:${port}`,
            mode,
            '-time',
            String(SECONDS),
            '-CAfile',
            ca,
            '-tls1_2',
          ],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('exit', () => {
          // "1234 connections in 8.00s; 154.25 connections/user sec, bytes read 0"
          // "1234 connections in 9 real seconds, 0 bytes read per connection"
          const m = /(\d+) connections in (\d+) real seconds/.exec(out);
          if (!m) reject(new Error(`s_time output not understood: ${out.slice(-400)}`));
          else resolve(Number(m[1]) / Number(m[2]));
        });
      }),
  );
  return (await Promise.all(runs)).reduce((a, b) => a + b, 0);
}

const home = mkdtempSync(join(tmpdir(), 'meridian-bench-tls-'));
const children: ChildProcess[] = [];
try {
  // The portal's own certificate, extracted once so nginx serves exactly the same one.
  const config = loadConfig({ env: {}, overrides: { home } });
  const core = await openPortalCore(config);
  const tls = new WebTls(core);
  await tls.reload();
  const cert = (await loadCertificate(core, DEFAULT_WEB_ALIAS))!;
  const caPem = await localCaCertPem(core);
  await core.db.close();
  const ngx = join(home, 'nginx');
  mkdirSync(join(ngx, 'logs'), { recursive: true });
  writeFileSync(join(ngx, 'cert.pem'), cert.certChainPem);
  writeFileSync(join(ngx, 'key.pem'), cert.keyPem, { mode: 0o600 });
  writeFileSync(join(home, 'ca.pem'), caPem);
  writeFileSync(
    join(ngx, 'nginx.conf'),
    `worker_processes 1;
pid ${ngx}/nginx.pid;
error_log ${ngx}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  ssl_session_cache shared:SSL:10m;
  ssl_session_tickets on;
  server {
    listen 127.0.0.1:${NGINX_PORT} ssl;
    ssl_certificate ${ngx}/cert.pem;
    ssl_certificate_key ${ngx}/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    keepalive_requests 1000000;
    location / { default_type application/json; return 200 '{"currentVersion":"2024.1"}'; }
  }
}
`,
  );
  const nginx = spawn('nginx', ['-p', ngx, '-c', join(ngx, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: 'inherit',
  });
  children.push(nginx);

  const portal = spawn(
    process.execPath,
    [
      'packages/cli/src/main.ts',
      'start',
      '--home',
      home,
      '--https-port',
      String(PORTAL_PORT),
      '--http-mode',
      'off',
      '--bind',
      '127.0.0.1',
    ],
    {
      env: { ...process.env, MERIDIAN_ADMIN_PASSWORD: 'Bench-passw0rd!', MERIDIAN_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(portal);
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    portal.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('Meridian portal is running')) resolve();
    });
    portal.once('exit', (c) => reject(new Error(`portal exited ${c}`)));
  });
  await new Promise((r) => setTimeout(r, 500));

  const ca = join(home, 'ca.pem');
  const rows: [string, number, number][] = [];
  const nFull = await sTime(NGINX_PORT, '-new', ca);
  const mFull = await sTime(PORTAL_PORT, '-new', ca);
  rows.push(['full handshakes/s (TLS 1.2, ECDSA P-256)', nFull, mFull]);
  const nRes = await sTime(NGINX_PORT, '-reuse', ca);
  const mRes = await sTime(PORTAL_PORT, '-reuse', ca);
  rows.push(['resumed handshakes/s', nRes, mRes]);
  const nReq = await load({ url: `https://127.0.0.1:${NGINX_PORT}/`, seconds: SECONDS });
  const mReq = await load({ url: `https://127.0.0.1:${PORTAL_PORT}/sharing/rest?f=json`, seconds: SECONDS });
  rows.push(['keep-alive HTTPS requests/s', nReq.rps, mReq.rps]);

  console.log(
    `\ntls benchmark: ${SECONDS} s per case, ${CLIENTS} parallel s_time clients, 16 autocannon connections`,
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
    `\nfull handshakes: Meridian / nginx = ${(mFull / nFull).toFixed(2)} (target ≥ 0.50: ${mFull / nFull >= 0.5 ? 'met' : 'NOT met'})`,
  );
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(home, { recursive: true, force: true });
}
