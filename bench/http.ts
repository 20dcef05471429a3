/**
 * npm run bench -- http
 *
 * Peer: a bare node:https server answering a fixed JSON body. Meridian: authenticated
 * community/self, and search over 100,000 items. Same machine, same certificate type, same
 * load generator (autocannon, keep-alive HTTPS), one run. Targets (issue #2):
 * community/self ≥ 0.5 × bare; search p99 ≤ 25 ms at 100,000 items.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { loadConfig } from '../packages/server/src/config/load.ts';
import { createRootCa, issueServerCertificate } from '../packages/server/src/pki/local-ca.ts';
import { localCaCertPem } from '../packages/server/src/pki/local-ca-store.ts';
import { openPortalCore } from '../packages/server/src/start-portal.ts';
import { seedItems } from './fixtures/items.ts';
import { load, printTable } from './load.ts';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = 'Bench-passw0rd!';
const node = process.execPath;

function waitForLine(child: ChildProcess, re: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      if (re.test(buf)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (buf += d.toString()));
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${buf.slice(-2000)}`)));
  });
}

const home = mkdtempSync(join(tmpdir(), 'meridian-bench-'));
const children: ChildProcess[] = [];
try {
  // Seed before the portal starts: 100,000 items with owners, tags, types and groups.
  const config = loadConfig({ env: {}, overrides: { home } });
  const core = await openPortalCore(config);
  const t0 = Date.now();
  await seedItems(core.db, ITEMS);
  console.log(`seeded ${ITEMS} items in ${((Date.now() - t0) / 1000).toFixed(1)} s (${core.db.dialect})`);
  const caPem = await localCaCertPem(core);
  await core.db.close();

  // Peer: same kind of certificate (ECDSA P-256 from a local CA).
  const ca = await createRootCa('Bench CA');
  const leaf = await issueServerCertificate(ca, ['localhost', '127.0.0.1'], 30);
  writeFileSync(join(home, 'bare-cert.pem'), leaf.certPem + ca.certPem);
  writeFileSync(join(home, 'bare-key.pem'), leaf.keyPem);
  const barePort = 17_443;
  const bare = fork(
    new URL('./bare-https.ts', import.meta.url),
    [join(home, 'bare-cert.pem'), join(home, 'bare-key.pem'), String(barePort)],
    {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  children.push(bare);
  await new Promise<void>((resolve) => bare.once('message', () => resolve()));

  const portalPort = 17_444;
  const portal = spawn(
    node,
    [
      'packages/cli/src/main.ts',
      'start',
      '--home',
      home,
      '--https-port',
      String(portalPort),
      '--http-mode',
      'off',
      '--bind',
      '127.0.0.1',
    ],
    {
      env: { ...process.env, MERIDIAN_ADMIN_PASSWORD: PASSWORD, MERIDIAN_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(portal);
  await waitForLine(portal, /Meridian portal is running/, 'the portal');

  const dispatcher = new Agent({ connect: { ca: caPem } });
  const base = `https://localhost:${portalPort}`;
  const tokenRes = (await (
    await fetch(`${base}/sharing/rest/generateToken`, {
      method: 'POST',
      dispatcher,
      body: new URLSearchParams({ username: 'admin', password: PASSWORD, client: 'requestip', f: 'json' }),
    })
  ).json()) as { token: string };
  const auth = { authorization: `Bearer ${tokenRes.token}` };

  const searches = [
    'river',
    'type:"Web Map"',
    'tags:hydrology',
    'owner:user7',
    'flood AND type:"Feature Service"',
    'title:"land cover"',
  ].map((q) => `/sharing/rest/search?f=json&num=10&q=${encodeURIComponent(q)}`);

  // Each query must answer results, not an error in a 200 body (which autocannon would count as success).
  for (const path of searches) {
    const r = (await (await fetch(`${base}${path}`, { dispatcher, headers: auth })).json()) as {
      total?: number;
      error?: unknown;
    };
    if (r.error || !r.total) throw new Error(`${path} answered ${JSON.stringify(r).slice(0, 300)}`);
    console.log(`  ${decodeURIComponent(path.split('q=')[1]!).padEnd(36)} total ${r.total}`);
  }
  const self = (await (
    await fetch(`${base}/sharing/rest/community/self?f=json`, { dispatcher, headers: auth })
  ).json()) as { username?: string };
  if (self.username !== 'admin')
    throw new Error(`community/self answered ${JSON.stringify(self).slice(0, 300)}`);

  // Warm up both servers.
  await load({ url: `https://127.0.0.1:${barePort}/`, seconds: 2 });
  await load({ url: `${base}/sharing/rest/community/self?f=json`, headers: auth, seconds: 2 });

  const bareR = await load({ url: `https://127.0.0.1:${barePort}/`, seconds: SECONDS });
  const selfR = await load({
    url: `${base}/sharing/rest/community/self?f=json`,
    headers: auth,
    seconds: SECONDS,
  });
  const searchR = await load({ url: base, headers: auth, paths: searches, seconds: SECONDS });

  console.log(`\nhttp benchmark: ${SECONDS} s per case, 16 keep-alive HTTPS connections, ${ITEMS} items\n`);
  printTable([
    { name: 'bare node:https, fixed JSON (peer)', r: bareR },
    { name: 'Meridian community/self (Bearer token)', r: selfR },
    { name: `Meridian search, 6 query shapes, ${ITEMS} items`, r: searchR },
  ]);
  const ratio = selfR.rps / bareR.rps;
  console.log(
    `\ncommunity/self / bare = ${ratio.toFixed(2)}  (target ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `search p99 = ${searchR.p99.toFixed(1)} ms  (target ≤ 25 ms: ${searchR.p99 <= 25 ? 'met' : 'NOT met'})`,
  );
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  rmSync(home, { recursive: true, force: true });
}
