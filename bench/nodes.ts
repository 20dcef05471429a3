/**
 * npm run bench -- nodes [--smoke]
 *
 * Portal nodes behind HAProxy (docs/examples/haproxy.cfg, TCP passthrough) on one private
 * PostgreSQL cluster (e2e/pg-cluster.ts): requests per second straight to one node (the peer),
 * through HAProxy to one node, and through HAProxy to two nodes, side by side; then the failed
 * requests of the two faults under load: PostgreSQL restarted, and a node killed.
 *
 * The load is the counting client (bench/counting-client.ts: undici, keep-alive HTTPS verified
 * against the portal CA, every request accounted for), alternating an anonymous
 * /sharing/rest/info and an authenticated /sharing/rest/portals/self; every answer is checked.
 * The load generator, HAProxy and both nodes share this machine's cores: on a small machine the
 * two-node figure measures HAProxy's overhead, not scaling.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { type Haproxy, startHaproxy } from '../e2e/haproxy.ts';
import { nodeKillUnderLoad, pgRestartUnderLoad } from '../e2e/haproxy-faults.ts';
import { type PgCluster, startPgCluster } from '../e2e/pg-cluster.ts';
import { type PortalProcess, startPortalProcess } from '../e2e/portal-process.ts';
import { SecretBox } from '../packages/server/src/kernel/secrets/box.ts';
import { expectCase } from './case-failed.ts';
import { type CountResult, describeCounts, startCounting } from './counting-client.ts';
import { type LoadResult, printTable } from './load.ts';
import type { BenchOptions } from './options.ts';
import { freePort } from './processes.ts';

const PASSWORD = 'Bench-nodes-passw0rd!';
/** As the http benchmark: 16 keep-alive connections' worth of requests in flight. */
const CONNECTIONS = 16;
/** The fault cases: the same workers as the HAProxy test. */
const FAULT_WORKERS = 8;

const asLoadResult = (r: CountResult): LoadResult => ({
  rps: r.rps,
  p50: r.p50,
  p99: r.p99,
  requests: r.sent,
  errors: r.failedTotal,
  non2xx: 0,
  mismatches: 0,
});

export async function run(opts: BenchOptions): Promise<void> {
  const seconds = opts.seconds(10);
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-nodes-'));
  let cluster: PgCluster | undefined;
  let nodes: PortalProcess[] = [];
  let haproxy: Haproxy | undefined;
  try {
    cluster = await startPgCluster();
    const front = await freePort();
    const publicUrl = `https://localhost:${front}`;
    for (const n of ['a', 'b']) mkdirSync(join(dir, n), { mode: 0o700 });
    SecretBox.openOrCreate(join(dir, 'a', 'secrets.key'));
    copyFileSync(join(dir, 'a', 'secrets.key'), join(dir, 'b', 'secrets.key'));
    const env = {
      MERIDIAN_DATABASE_URL: cluster.url,
      MERIDIAN_ADMIN_PASSWORD: PASSWORD,
      MERIDIAN_PUBLIC_URL: publicUrl,
      MERIDIAN_FILES_DIR: join(dir, 'files'),
    };
    nodes = await Promise.all(['a', 'b'].map((n) => startPortalProcess(join(dir, n), env)));
    const [a, b] = nodes as [PortalProcess, PortalProcess];
    const caFile = join(dir, 'portal-ca.pem');
    writeFileSync(caFile, a.caPem);
    const token = await a.token(PASSWORD);
    const haproxyTo = async (to: PortalProcess[]) => {
      await haproxy?.stop();
      haproxy = undefined;
      haproxy = await startHaproxy(dir, {
        front: `127.0.0.1:${front}`,
        nodes: to.map((n) => `127.0.0.1:${n.port}`),
        host: 'localhost',
        caFile,
      });
      return haproxy;
    };

    const paths = ['/sharing/rest/info?f=json', `/sharing/rest/portals/self?f=json&token=${token}`];
    // Every URL a node generates is the public URL; portals/self knows the administrator.
    const verify = (body: string, path: string) =>
      path.startsWith('/sharing/rest/info')
        ? body.includes(`"owningSystemUrl":"${publicUrl}"`)
        : body.includes(`"portalHostname":"localhost:${front}"`) && body.includes('"username":"admin"');
    const checkAnswers = async (caseName: string, base: string) => {
      const dispatcher = new Agent({ connect: { ca: a.caPem } });
      try {
        for (const path of paths) {
          const res = await request(`${base}${path}`, { dispatcher });
          const body = await res.body.text();
          expectCase(
            res.statusCode === 200 && verify(body, path),
            caseName,
            () => `${path} answered ${res.statusCode} ${body.slice(0, 300)}`,
          );
        }
      } finally {
        await dispatcher.close();
      }
    };
    const measure = async (caseName: string, base: string, secs: number) => {
      const dispatcher = new Agent({ connect: { ca: a.caPem } });
      const load = startCounting({ base, dispatcher, paths, verify, concurrency: CONNECTIONS });
      await new Promise((r) => setTimeout(r, secs * 1000));
      const r = await load.stop();
      await dispatcher.close();
      expectCase(r.ok > 0, caseName, () => 'no request succeeded');
      expectCase(r.failedTotal === 0, caseName, () => describeCounts(r));
      return r;
    };

    const results: { name: string; r: LoadResult }[] = [];
    const cases: { name: string; via?: PortalProcess[] }[] = [
      { name: 'one node, direct (peer)' },
      { name: 'HAProxy → one node', via: [a] },
      { name: 'HAProxy → two nodes', via: [a, b] },
    ];
    for (const { name, via } of cases) {
      if (via) await haproxyTo(via);
      const base = via ? publicUrl : a.base;
      await checkAnswers(name, base);
      if (!opts.smoke) await measure(name, base, 2);
      results.push({ name, r: asLoadResult(await measure(name, base, seconds)) });
    }

    // The faults, through HAProxy to both nodes (still in place from the last case).
    const lb = haproxy as Haproxy | undefined;
    expectCase(lb !== undefined, 'faults', () => 'HAProxy is not running');
    const target = {
      base: publicUrl,
      caPem: a.caPem,
      paths: [`/sharing/rest/portals/self/users?f=json&num=5&token=${token}`, paths[0]!],
      verify: (body: string, path: string) =>
        path.includes('/users?') ? body.includes('"users":[') : verify(body, path),
      concurrency: FAULT_WORKERS,
    };
    const pg = await pgRestartUnderLoad(target, {
      cluster,
      haproxy: lb,
      beforeMs: opts.smoke ? 500 : 1000,
      downMs: opts.smoke ? 500 : 2000,
    });
    const pgFailures = pg.result.outcomes.filter((o) => o.kind !== 'ok');
    const pgLast = pgFailures.at(-1);
    expectCase(
      nodes.every((n) => n.child.exitCode === null && n.child.signalCode === null),
      'PostgreSQL restarted under load',
      () => 'a node exited',
    );
    expectCase(
      Object.keys(pg.result.failed).every((k) => k === 'http 503 (error body)' || k.startsWith('no answer')),
      'PostgreSQL restarted under load',
      () => `failures other than a 503 with an error body or no answer: ${describeCounts(pg.result)}`,
    );
    expectCase(
      pg.result.outcomes.at(-1)?.kind === 'ok',
      'PostgreSQL restarted under load',
      () => `service did not resume: ${describeCounts(pg.result)}`,
    );
    await lb.waitFor('node-a', 'UP');
    await lb.waitFor('node-b', 'UP');

    const kill = await nodeKillUnderLoad(
      { ...target, paths, verify },
      {
        haproxy: lb,
        victim: 'node-b',
        child: b.child,
        killAfterMs: opts.smoke ? 500 : 2000,
        totalMs: opts.smoke ? 2000 : 5000,
      },
    );
    const killFailures = kill.result.outcomes.filter((o) => o.kind !== 'ok');
    expectCase(a.child.exitCode === null, 'node killed under load', () => 'the other node exited');
    expectCase(
      kill.result.outcomes.filter((o) => o.sentAt > kill.killAt + 1000).every((o) => o.kind === 'ok'),
      'node killed under load',
      () => `requests sent over 1 s after the kill failed: ${describeCounts(kill.result)}`,
    );

    const cores = availableParallelism();
    console.log(
      `\nnodes benchmark${opts.smoke ? ' (SMOKE: figures mean nothing)' : ''}: ${seconds} s per case, ` +
        `${CONNECTIONS} requests in flight (keep-alive HTTPS, undici), info and portals/self in turn, ` +
        `PostgreSQL ${cluster.url.replace(/^.*@/, '')} (private cluster), one run\n`,
    );
    printTable(results[0]!, results.slice(1));
    console.log(
      `\n${cores} cores shared by the load generator, HAProxy and both nodes: ` +
        (cores <= 4
          ? 'the two-node figure shows what HAProxy and a second node cost here, not how nodes scale.'
          : 'compare two nodes with one for scaling, one node through HAProxy with the peer for overhead.'),
    );
    console.log(`\nfaults under load through HAProxy (${FAULT_WORKERS} workers, two nodes):`);
    console.log(
      `  PostgreSQL restarted (down ${((pg.backAt - pg.restartAt) / 1000).toFixed(1)} s): ${describeCounts(pg.result)}; ` +
        `last failure ended ${pgLast ? `${((pgLast.doneAt - pg.backAt) / 1000).toFixed(2)} s from the server's return` : '-'}; HAProxy: ${pg.haproxyLog}`,
    );
    console.log(
      `  node killed (SIGKILL, ${kill.openToVictim} connections open to it): ${describeCounts(kill.result)}; ` +
        `HAProxy marked it DOWN after ${kill.downAfter} ms; ` +
        `last failure ${killFailures.length ? `${(killFailures.at(-1)!.doneAt - kill.killAt).toFixed(0)} ms` : '-'} after the kill`,
    );
  } finally {
    await (haproxy as Haproxy | undefined)?.stop();
    await Promise.all(nodes.map((n) => n.stop()));
    await cluster?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
