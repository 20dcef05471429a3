/**
 * Two portal nodes behind HAProxy, run from docs/examples/haproxy.cfg (TCP passthrough,
 * readiness checks over HTTPS verified against the portal CA), on one private PostgreSQL
 * cluster (e2e/pg-cluster.ts: this file restarts it, so it cannot be the machine's shared one).
 * The nodes share one secrets.key and MERIDIAN_PUBLIC_URL is HAProxy's front end.
 *
 * Cases run in order, on one set-up: generated URLs through the front end; a TLS session made
 * with one node resumed on the other through HAProxy; PostgreSQL restarted under load; last, a
 * node killed under load.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from 'undici';
import { type CountResult, describeCounts } from '../bench/counting-client.ts';
import { freePort } from '../bench/processes.ts';
import { SecretBox } from '../packages/server/src/kernel/secrets/box.ts';
import { type Haproxy, startHaproxy } from './haproxy.ts';
import { nodeKillUnderLoad, pgRestartUnderLoad } from './haproxy-faults.ts';
import { type PgCluster, startPgCluster } from './pg-cluster.ts';
import { type PortalProcess, startPortalProcess } from './portal-process.ts';

const PASSWORD = 'Haproxy-test-passw0rd!';
const CONCURRENCY = 8;

const alive = (n: PortalProcess) => n.child.exitCode === null && n.child.signalCode === null;

/** Which node took each new connection HAProxy accepted while `fn` ran (by its counters). */
async function landedOn(haproxy: Haproxy, fn: () => Promise<void>): Promise<string[]> {
  const before = await haproxy.stats();
  await fn();
  const after = await haproxy.stats();
  const on: string[] = [];
  for (const [name, s] of after)
    for (let i = 0; i < s.total - (before.get(name)?.total ?? 0); i++) on.push(name);
  return on;
}

describe('two nodes behind HAProxy (docs/examples/haproxy.cfg) on one PostgreSQL cluster', () => {
  let cluster: PgCluster;
  let dir: string;
  let nodes: [PortalProcess, PortalProcess];
  let haproxy: Haproxy;
  let publicUrl: string;
  let caFile: string;
  let token: string;

  before(async () => {
    cluster = await startPgCluster();
    dir = mkdtempSync(join(tmpdir(), 'meridian-haproxy-'));
    const front = await freePort();
    publicUrl = `https://localhost:${front}`;
    for (const n of ['a', 'b']) mkdirSync(join(dir, n), { mode: 0o700 });
    SecretBox.openOrCreate(join(dir, 'a', 'secrets.key'));
    copyFileSync(join(dir, 'a', 'secrets.key'), join(dir, 'b', 'secrets.key'));
    const env = {
      MERIDIAN_DATABASE_URL: cluster.url,
      MERIDIAN_ADMIN_PASSWORD: PASSWORD,
      MERIDIAN_PUBLIC_URL: publicUrl,
      // Every node of one database uses one files directory (a shared mount in production).
      MERIDIAN_FILES_DIR: join(dir, 'files'),
    };
    nodes = (await Promise.all(['a', 'b'].map((n) => startPortalProcess(join(dir, n), env)))) as [
      PortalProcess,
      PortalProcess,
    ];
    caFile = join(dir, 'portal-ca.pem');
    writeFileSync(caFile, nodes[0].caPem);
    haproxy = await startHaproxy(dir, {
      front: `127.0.0.1:${front}`,
      nodes: nodes.map((n) => `127.0.0.1:${n.port}`),
      host: 'localhost',
      caFile,
    });
    token = await nodes[0].token(PASSWORD);
  });

  after(async () => {
    await haproxy?.stop();
    await Promise.all((nodes ?? []).map((n) => n.stop()));
    await cluster?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('every URL a node generates is the public URL, whichever node answers', async () => {
    const answers: unknown[] = [];
    const on = await landedOn(haproxy, async () => {
      // A new connection for each request, so that roundrobin spreads them over both nodes.
      for (let i = 0; i < 6; i++) {
        const fresh = new Agent({ connect: { ca: nodes[0].caPem } });
        const get = async (path: string) => {
          const res = await request(`${publicUrl}${path}`, { dispatcher: fresh });
          assert.equal(res.statusCode, 200, path);
          return (await res.body.json()) as Record<string, unknown>;
        };
        const info = await get('/sharing/rest/info?f=json');
        const self = await get(`/sharing/rest/portals/self?f=json&token=${token}`);
        await fresh.close();
        answers.push({
          owningSystemUrl: info.owningSystemUrl,
          tokenServicesUrl: (info.authInfo as { tokenServicesUrl?: string }).tokenServicesUrl,
          portalHostname: self.portalHostname,
          user: (self.user as { username?: string } | undefined)?.username,
        });
      }
    });
    assert.deepEqual(new Set(on), new Set(['node-a', 'node-b']), `both nodes answered: ${on.join(', ')}`);
    for (const a of answers)
      assert.deepEqual(a, {
        owningSystemUrl: publicUrl,
        tokenServicesUrl: `${publicUrl}/sharing/rest/generateToken`,
        portalHostname: new URL(publicUrl).host,
        user: 'admin',
      });
  });

  /** One s_client handshake through the front end; the short wait lets TLS 1.3 tickets arrive. */
  const handshake = (version: '1_2' | '1_3', sess: string, save: boolean) => {
    const args = [
      's_client',
      '-connect',
      `127.0.0.1:${haproxy.port}`,
      `-tls${version}`,
      '-CAfile',
      caFile,
      '-verify_return_error',
      '-servername',
      'localhost',
      save ? '-sess_out' : '-sess_in',
      sess,
    ];
    const r = spawnSync('sh', ['-c', `sleep 0.3 | openssl ${args.map((a) => `'${a}'`).join(' ')}`], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    return `${r.stdout}${r.stderr}`;
  };

  for (const version of ['1_2', '1_3'] as const)
    test(`TLS ${version.replace('_', '.')} through HAProxy: a session made with one node resumes on the other`, async () => {
      const sess = join(dir, `sess-${version}`);
      let first = '';
      let second = '';
      const firstOn = await landedOn(haproxy, async () => {
        first = handshake(version, sess, true);
      });
      const secondOn = await landedOn(haproxy, async () => {
        second = handshake(version, sess, false);
      });
      assert.match(first, /Verify return code: 0 \(ok\)/, first);
      assert.match(first, /^New, TLSv/m, first);
      // roundrobin: consecutive connections go to different nodes; the counters show which.
      assert.equal(firstOn.length, 1, `first handshake: ${firstOn.join(', ')}`);
      assert.equal(secondOn.length, 1, `second handshake: ${secondOn.join(', ')}`);
      assert.notEqual(secondOn[0], firstOn[0], 'the second handshake reached the other node');
      assert.match(second, /Verify return code: 0 \(ok\)/, second);
      assert.match(
        second,
        /^Reused, TLSv/m,
        `${secondOn[0]} did not resume ${firstOn[0]}'s session:\n${second}`,
      );
    });

  /** A route that reads the database on every call (the user list is not cached). */
  const usersPath = () => `/sharing/rest/portals/self/users?f=json&num=5&token=${token}`;
  const verify = (body: string, path: string) =>
    path.includes('/users?') ? body.includes('"users":[') : body.includes('"owningSystemUrl"');

  const report = (t: { diagnostic(m: string): void }, what: string, r: CountResult) =>
    t.diagnostic(`${what}: ${describeCounts(r)} in ${r.seconds.toFixed(1)} s (${CONCURRENCY} workers)`);

  test('PostgreSQL restarted under load: the nodes stay up, answer 503 meanwhile, and serve again by themselves', async (t) => {
    const pids = nodes.map((n) => n.child.pid);
    const {
      result: r,
      restartAt,
      backAt,
      haproxyLog,
    } = await pgRestartUnderLoad(
      {
        base: publicUrl,
        caPem: nodes[0].caPem,
        paths: [usersPath(), '/sharing/rest/info?f=json'],
        verify,
        concurrency: CONCURRENCY,
      },
      { cluster, haproxy, beforeMs: 1000, downMs: 2000 },
    );
    report(t, 'PostgreSQL restart', r);
    const failures = r.outcomes.filter((o) => o.kind !== 'ok');
    t.diagnostic(
      `server down ${(restartAt / 1000).toFixed(2)}–${(backAt / 1000).toFixed(2)} s; failures sent ` +
        `${failures.length ? `${(failures[0]!.sentAt / 1000).toFixed(2)}–${(failures.at(-1)!.sentAt / 1000).toFixed(2)} s` : '(none)'}; ` +
        `HAProxy: ${haproxyLog}`,
    );
    assert.ok(nodes.every(alive), `a node exited:\n${nodes.map((n) => n.output().slice(-2000)).join('\n')}`);
    assert.deepEqual(
      nodes.map((n) => n.child.pid),
      pids,
      'no node was restarted',
    );
    assert.ok(
      r.outcomes.some((o) => o.kind === 'ok' && o.doneAt < restartAt),
      'served before',
    );
    assert.ok(failures.length > 0, 'requests that needed the database while it was down failed');
    // Failing cleanly: a 503 with an error body from the node (db.unavailable) on the open
    // keep-alive connections. A connection-level failure would mean HAProxy refused a new
    // connection while both nodes were unready (marked down, as the example's comment says):
    // the client's connections all stay open meanwhile, so there must be none.
    for (const kind of Object.keys(r.failed)) assert.equal(kind, 'http 503 (error body)', describeCounts(r));
    for (const f of failures)
      assert.ok(f.doneAt >= restartAt, `a request failed before the restart: ${JSON.stringify(f)}`);
    const lastFail = failures.at(-1)!;
    assert.ok(
      lastFail.sentAt < backAt + 15_000,
      `requests still failed ${((lastFail.sentAt - backAt) / 1000).toFixed(1)} s after the server was back`,
    );
    const afterLast = r.outcomes.filter((o) => o.sentAt > lastFail.doneAt);
    assert.ok(afterLast.length > 0 && afterLast.every((o) => o.kind === 'ok'), 'service resumed');
    // HAProxy sees both nodes ready again.
    await haproxy.waitFor('node-a', 'UP');
    await haproxy.waitFor('node-b', 'UP');
  });

  test('a node killed under load: only the requests in flight on it fail; HAProxy takes it out', async (t) => {
    const [a, b] = nodes;
    const {
      result: r,
      killAt,
      openToVictim,
      downAfter,
    } = await nodeKillUnderLoad(
      {
        base: publicUrl,
        caPem: nodes[0].caPem,
        paths: ['/sharing/rest/info?f=json', `/sharing/rest/portals/self?f=json&token=${token}`],
        verify: (body) => body.includes('"owningSystemUrl"') || body.includes('"portalHostname"'),
        concurrency: CONCURRENCY,
      },
      { haproxy, victim: 'node-b', child: b.child, killAfterMs: 2000, totalMs: 5000 },
    );
    report(t, 'node killed', r);
    const failures = r.outcomes.filter((o) => o.kind !== 'ok');
    t.diagnostic(
      `killed node-b at ${(killAt / 1000).toFixed(2)} s with ${openToVictim} connections open to it; ` +
        `HAProxy marked it DOWN ${downAfter} ms later; failures ended ` +
        `${failures.length ? `${(failures.at(-1)!.doneAt - killAt).toFixed(0)} ms` : '-'} after the kill`,
    );
    assert.ok(alive(a), `node A exited:\n${a.output().slice(-2000)}`);
    assert.ok(
      r.outcomes.some((o) => o.kind === 'ok' && o.doneAt < killAt),
      'requests were served before the kill',
    );
    // The only requests lost are those on a connection open to the killed node when it died:
    // TCP passthrough cannot replay them, and each such connection carries one request at a
    // time (so at most one each, and at most one per worker). A new connection sent to the dead
    // node before its check fails is refused and redispatched by HAProxy to the other node
    // (`retries` + `option redispatch 1`), so it costs no request.
    for (const kind of Object.keys(r.failed)) assert.match(kind, /^no answer /, describeCounts(r));
    assert.ok(
      r.failedTotal <= Math.min(openToVictim, CONCURRENCY),
      `${r.failedTotal} failed, more than the ${openToVictim} connections open to the killed node: ${describeCounts(r)}`,
    );
    // Requests sent on a dead connection before the client saw it close fail too: allow 1 s.
    const afterKill = r.outcomes.filter((o) => o.sentAt > killAt + 1000);
    assert.ok(afterKill.length > 50, `too few requests after the kill: ${afterKill.length}`);
    assert.ok(
      afterKill.every((o) => o.kind === 'ok'),
      'every request sent over 1 s after the kill succeeds',
    );
    assert.ok(downAfter < 3000, `HAProxy took ${downAfter} ms to mark the dead node DOWN`);
  });
});
