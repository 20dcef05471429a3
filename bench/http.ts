/**
 * npm run bench -- http [sqlite|postgres] [--smoke]   (the portal's database; SQLite by default)
 *
 * Peer: a bare node:https server answering a fixed JSON body. Meridian: authenticated
 * community/self, and search over 100,000 items as the administrator and as an ordinary user
 * (who sees their own items, organisation and public items, and their groups' shared items).
 * Same machine, same certificate type, same load generator (autocannon, keep-alive HTTPS),
 * one run. Every search is checked first against the answer worked out from the seeded items,
 * and every answer under load is checked too, so that errors answered fast are never measured.
 * Targets (issue #2): community/self ≥ 0.5 × bare; search p99 ≤ 25 ms at 100,000 items.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Dispatcher, fetch } from 'undici';
import { createRootCa, issueServerCertificate } from '../packages/server/src/pki/local-ca.ts';
import { loadPortalConfig, openPortalNode } from '../packages/server/src/roles/portal.ts';
import { createPgDatabase } from '../packages/server/test/pg-databases.ts';
import { BARE_BODY } from './bare-https.ts';
import { expectCase } from './case-failed.ts';
import { ownerName, type SeededItem, type SeedSummary, seedItems } from './fixtures/items.ts';
import { expectClean, type LoadResult, load, printTable } from './load.ts';
import type { BenchOptions } from './options.ts';
import { startPortalProcess, stopChildren } from './processes.ts';
import { ExpectedAnswers, freeText, hasPhrase, type OracleViewer } from './search-oracle.ts';

const PASSWORD = 'Bench-passw0rd!';
/** Enough items in smoke mode for every search to find something for both viewers. */
const SMOKE_ITEMS = 3000;
const OWNER = ownerName(7);

/** The query shapes searched under load, each with what it must match. */
const SEARCHES: [string, (it: SeededItem) => boolean][] = [
  ['river', (it) => hasPhrase(freeText(it), 'river')],
  ['type:"Web Map"', (it) => hasPhrase([it.type], 'web map')],
  ['tags:hydrology', (it) => hasPhrase(it.tags, 'hydrology')],
  [`owner:${OWNER}`, (it) => it.owner === OWNER],
  [
    'flood AND type:"Feature Service"',
    (it) => hasPhrase(freeText(it), 'flood') && hasPhrase([it.type], 'feature service'),
  ],
  ['title:"springfield water"', (it) => hasPhrase([it.title], 'springfield water')],
];

const searchPath = (q: string) => `/sharing/rest/search?f=json&num=10&q=${encodeURIComponent(q)}`;

/** An owner of items (not the one searched for by owner:) who is a member of several groups. */
function pickOrdinaryUser(seeded: SeedSummary): { username: string; groups: Set<string> } {
  const groupsOf = (u: string) =>
    new Set([...seeded.members].filter(([, members]) => members.includes(u)).map(([g]) => g));
  const username = seeded.owners.slice(1).find((u) => u !== OWNER && groupsOf(u).size >= 2);
  if (!username) throw new Error('the seeded data has no owner in two groups: seed more groups');
  return { username, groups: groupsOf(username) };
}

async function token(base: string, dispatcher: Dispatcher, username: string): Promise<string> {
  const answer = (await (
    await fetch(`${base}/sharing/rest/generateToken`, {
      method: 'POST',
      dispatcher,
      body: new URLSearchParams({ username, password: PASSWORD, client: 'requestip', f: 'json' }),
    })
  ).json()) as { token?: string };
  expectCase(
    typeof answer.token === 'string',
    `sign in as ${username}`,
    () => `generateToken answered ${JSON.stringify(answer).slice(0, 300)}`,
  );
  return answer.token;
}

/** Each search answers exactly the items worked out from the seed, and finds at least one. */
async function checkSearches(
  caseName: string,
  base: string,
  dispatcher: Dispatcher,
  auth: Record<string, string>,
  expected: ExpectedAnswers,
  viewer: OracleViewer,
): Promise<void> {
  for (const [q] of SEARCHES) {
    const want = expected.total(q, viewer);
    const what = `${caseName}, q=${q}`;
    expectCase(
      want > 0,
      what,
      () =>
        'nothing seeded matches this query, so it would time an empty search: fix the query, or seed more items',
    );
    const r = (await (await fetch(`${base}${searchPath(q)}`, { dispatcher, headers: auth })).json()) as {
      total?: number;
      results?: { id: string }[];
      error?: unknown;
    };
    expectCase(
      !r.error && r.total === want,
      what,
      () => `expected total ${want}, the portal answered ${JSON.stringify(r).slice(0, 300)}`,
    );
    const ids = (r.results ?? []).map((x) => x.id);
    expectCase(
      ids.length === Math.min(10, want) && ids.every((id) => expected.finds(q, viewer, id)),
      what,
      () => `the first page holds items the query must not find, or too few: ${ids.join(', ')}`,
    );
    console.log(`  ${caseName.padEnd(16)} ${q.padEnd(36)} total ${r.total}`);
  }
}

/** Accepts a search answer under load only when its total is one of the expected ones. */
function searchVerifier(expected: ExpectedAnswers, viewer: OracleViewer): (body: string) => boolean {
  const totals = new Set(SEARCHES.map(([q]) => expected.total(q, viewer)));
  return (body) => {
    const m = /^\{[^[]*"total":(\d+)/.exec(body);
    return m !== null && totals.has(Number(m[1])) && body.includes('"results":[{');
  };
}

async function startBarePeer(home: string, children: ChildProcess[]): Promise<number> {
  const ca = await createRootCa('Bench CA');
  const leaf = await issueServerCertificate(ca, ['localhost', '127.0.0.1'], 30);
  writeFileSync(join(home, 'bare-cert.pem'), leaf.certPem + ca.certPem);
  writeFileSync(join(home, 'bare-key.pem'), leaf.keyPem);
  const bare = fork(
    new URL('./bare-https.ts', import.meta.url),
    [join(home, 'bare-cert.pem'), join(home, 'bare-key.pem')],
    { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  children.push(bare);
  return new Promise<number>((resolve, reject) => {
    bare.once('message', (m) => resolve((m as { port: number }).port));
    bare.once('exit', (code) => reject(new Error(`the bare https peer exited with ${code}`)));
  });
}

export async function run(opts: BenchOptions, args: string[] = []): Promise<void> {
  const dialect = args[0] ?? 'sqlite';
  if (dialect !== 'sqlite' && dialect !== 'postgres')
    throw new Error(`http takes sqlite (the default) or postgres, not '${dialect}'`);
  const items = opts.items(100_000, SMOKE_ITEMS);
  const seconds = opts.seconds(10);
  const home = mkdtempSync(join(tmpdir(), 'meridian-bench-'));
  const children: ChildProcess[] = [];
  // The portal's database: its embedded SQLite, or a temporary PostgreSQL database.
  const pgdb = dialect === 'postgres' ? await createPgDatabase() : undefined;
  const database: Record<string, string> = pgdb ? { 'database.url': pgdb.url } : {};
  try {
    const config = loadPortalConfig({
      env: {},
      overrides: { home, 'admin.password': PASSWORD, ...database },
    });
    // The portal creates its administrator only while there is no user, and the seeded item
    // owners are users: open the node (which creates it, as a first start does) before seeding.
    const node = await openPortalNode(config, { logger: false });
    const core = node.kernel;
    expectCase(
      node.modules.identity.initialAdmin.created,
      'initial administrator',
      () => 'it was not created',
    );
    const expected = new ExpectedAnswers(SEARCHES);
    const t0 = Date.now();
    const seeded = await seedItems(core.db, items, { onItem: expected.record });
    console.log(`seeded ${items} items in ${((Date.now() - t0) / 1000).toFixed(1)} s (${core.db.dialect})`);
    const user = pickOrdinaryUser(seeded);
    await node.modules.identity.resetPassword(user.username, PASSWORD);
    const caPem = await node.modules.pki.localCaPem();
    await node.close();

    const barePort = await startBarePeer(home, children);
    const { base, dispatcher } = await startPortalProcess({
      home,
      caPem,
      children,
      env: { MERIDIAN_ADMIN_PASSWORD: PASSWORD, ...(pgdb ? { MERIDIAN_DATABASE_URL: pgdb.url } : {}) },
    });

    const admin = { authorization: `Bearer ${await token(base, dispatcher, 'admin')}` };
    const userAuth = { authorization: `Bearer ${await token(base, dispatcher, user.username)}` };
    const adminViewer: OracleViewer = { admin: true };
    const userViewer: OracleViewer = { admin: false, username: user.username, groups: user.groups };
    await checkSearches('admin', base, dispatcher, admin, expected, adminViewer);
    await checkSearches(user.username, base, dispatcher, userAuth, expected, userViewer);
    const self = (await (
      await fetch(`${base}/sharing/rest/community/self?f=json`, { dispatcher, headers: admin })
    ).json()) as { username?: string };
    expectCase(
      self.username === 'admin',
      'community/self',
      () => `answered ${JSON.stringify(self).slice(0, 300)}`,
    );

    const bareUrl = `https://127.0.0.1:${barePort}/`;
    const selfUrl = `${base}/sharing/rest/community/self?f=json`;
    const isBare = (body: string) => body === BARE_BODY;
    const isAdminSelf = (body: string) => body.includes('"username":"admin"');
    if (!opts.smoke) {
      await load({ url: bareUrl, verify: isBare, seconds: 2 });
      await load({ url: selfUrl, headers: admin, verify: isAdminSelf, seconds: 2 });
    }
    const paths = SEARCHES.map(([q]) => searchPath(q));
    const cases: { name: string; measure: () => Promise<LoadResult> }[] = [
      {
        name: 'bare node:https, fixed JSON (peer)',
        measure: () => load({ url: bareUrl, verify: isBare, seconds }),
      },
      {
        name: 'Meridian community/self (Bearer token)',
        measure: () => load({ url: selfUrl, headers: admin, verify: isAdminSelf, seconds }),
      },
      {
        name: `Meridian search as admin, ${SEARCHES.length} query shapes`,
        measure: () =>
          load({ url: base, headers: admin, paths, verify: searchVerifier(expected, adminViewer), seconds }),
      },
      {
        name: `Meridian search as ordinary user (${user.groups.size} groups)`,
        measure: () =>
          load({
            url: base,
            headers: userAuth,
            paths,
            verify: searchVerifier(expected, userViewer),
            seconds,
          }),
      },
    ];
    const results: { name: string; r: LoadResult }[] = [];
    for (const c of cases) {
      const r = await c.measure();
      expectClean(c.name, r);
      results.push({ name: c.name, r });
    }

    console.log(
      `\nhttp benchmark${opts.smoke ? ' (SMOKE: tiny data, figures mean nothing)' : ''}: ${seconds} s per case, ` +
        `16 keep-alive HTTPS connections, ${items} items (${dialect}), one run\n`,
    );
    const [peer, selfR, ...searchRs] = results;
    printTable(peer!, [selfR!, ...searchRs]);
    const ratio = selfR!.r.rps / peer!.r.rps;
    console.log(
      `\ncommunity/self / bare = ${ratio.toFixed(2)}  (target ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})`,
    );
    for (const { name, r } of searchRs)
      console.log(
        `${name}: p99 = ${r.p99.toFixed(1)} ms  (target ≤ 25 ms: ${r.p99 <= 25 ? 'met' : 'NOT met'})`,
      );
  } finally {
    await stopChildren(children);
    await pgdb?.drop();
    rmSync(home, { recursive: true, force: true });
  }
}
