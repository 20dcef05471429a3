/**
 * Case "acs" of `npm run bench -- saml` (issue 10, part 12b): ACS validation throughput,
 * Meridian's verifySamlResponse against @node-saml/node-saml's validatePostResponseAsync on the
 * SAME responses, in one run.
 *
 * The responses are made by the test IdP (saml/validate/test-idp.ts): N Responses, each
 * answering its own AuthnRequest ID, with a signed assertion (RSA-SHA256, exclusive c14n,
 * SHA-256 digest, the certificate in KeyInfo as IdPs send it), and a second set of the same
 * with the signed assertion encrypted for the SP (AES-256-GCM, RSA-OAEP key transport).
 *
 * Both sides run in ONE child process pinned to one core (`taskset -c 1` when there is one),
 * one after the other, each single-threaded. Every pass over the N responses starts from fresh
 * state so that each response is valid exactly once:
 * - node-saml: a new SAML instance whose cache provider holds the N request IDs
 *   (validateInResponseTo "always", wantAssertionsSigned, audience, callbackUrl, idpCert);
 * - Meridian, in-memory stores: the validation pipeline with test-idp's memoryStores (the
 *   request store and the replay cache with the database's semantics, without the database);
 * - Meridian, database stores: the same pipeline with the real RequestStore (an UPDATE … RETURNING
 *   per response) and ReplayStore (a DELETE and an INSERT … ON CONFLICT per response) on SQLite
 *   (or PostgreSQL with `saml postgres`), i.e. every step a real ACS runs except recording the
 *   trace and issuing the OAuth answer; the IdP lookup is in memory (one login).
 * Only the validations are timed (seeding the stores is not). After a warm-up pass over a few
 * responses, passes repeat until the case's seconds are spent. Every answer is checked: each
 * valid response accepted with its NameID; a tampered one (NameID changed after signing)
 * refused by both sides. Target: Meridian ≥ 10 × node-saml. Smoke: a handful of responses,
 * checked, no figure asserted.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectCase } from './case-failed.ts';
import type { BenchOptions } from './options.ts';

const SELF = fileURLToPath(import.meta.url);
const NAME_ID = 'alice@example.org';
const IDP_ENTITY = 'https://idp.example.edu/idp/shibboleth';

interface ResponseSet {
  name: string;
  /** The AuthnRequest ID each response answers. */
  requestIds: string[];
  /** Base64 SAMLResponse values. */
  responses: string[];
}

interface AcsInput {
  idpCertPem: string;
  spKeyPem: string;
  sets: ResponseSet[];
  /** A signed response whose NameID was changed after signing, answering `tamperedRequestId`. */
  tampered: string;
  tamperedRequestId: string;
  seconds: number;
  dialect: string;
}

interface SideResult {
  set: string;
  side: 'node-saml' | 'meridian-memory' | 'meridian-db';
  validated: number;
  ms: number;
  tamperedRefused: string;
}

/** Generates the responses (in the bench process), then runs the child. */
export async function acsCase(dir: string, opts: BenchOptions, dialect: string): Promise<void> {
  const { base64, buildResponse, createTestIdp, keyPair } = await import(
    '../packages/server/src/saml/validate/test-idp.ts'
  );
  const n = opts.items(500, 4);
  const [idp, sp] = await Promise.all([createTestIdp(IDP_ENTITY), keyPair('portal.example.org')]);
  const now = Date.now();
  const common = { idp, now, nameId: NAME_ID, notOnOrAfterOffset: 3600, sign: 'assertion' as const };
  const t = performance.now();
  const sets: ResponseSet[] = [];
  for (const [name, encrypt] of [
    ['signed assertion', undefined],
    [
      'signed assertion, encrypted AES-256-GCM',
      { certPem: sp.certPem, content: 'aes256-gcm', transport: 'mgf1p-sha1' } as const,
    ],
  ] as const) {
    const requestIds: string[] = [];
    const responses: string[] = [];
    for (let i = 0; i < n; i++) {
      const rid = `_req${sets.length}x${i}${'0'.repeat(20)}`;
      requestIds.push(rid);
      responses.push(base64(buildResponse({ ...common, inResponseTo: rid, encrypt })));
    }
    sets.push({ name, requestIds, responses });
  }
  const tamperedRequestId = '_reqtampered00000000000000000000';
  const signed = buildResponse({ ...common, inResponseTo: tamperedRequestId });
  const tampered = signed.replace(`>${NAME_ID}</saml:NameID>`, '>mallory@example.org</saml:NameID>');
  expectCase(tampered !== signed, 'saml acs', () => 'the tampered response was not changed');
  console.log(
    `responses: ${n} per set, generated in ${(performance.now() - t).toFixed(0)} ms; ${Math.round(
      sets[0]!.responses[0]!.length * 0.75,
    )} bytes signed, ${Math.round(sets[1]!.responses[0]!.length * 0.75)} bytes encrypted`,
  );
  const input: AcsInput = {
    idpCertPem: idp.certPem,
    spKeyPem: sp.keyPem,
    sets,
    tampered: base64(tampered),
    tamperedRequestId,
    seconds: opts.seconds(8),
    dialect,
  };
  const file = join(dir, 'acs.json');
  writeFileSync(file, JSON.stringify(input));
  const pinned = spawnSync('taskset', ['-c', '1', 'true']).status === 0;
  const cmd = pinned ? 'taskset' : process.execPath;
  const args = [
    ...(pinned ? ['-c', '1', process.execPath] : []),
    '--disable-warning=ExperimentalWarning',
    SELF,
    '--acs-child',
    file,
  ];
  const out = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.stderr.on('data', (d: Buffer) => (text += d.toString()));
    p.once('error', reject);
    p.once('close', (code) => resolve({ code, text }));
  });
  const results = out.text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as SideResult);
  expectCase(
    out.code === 0 && results.length === sets.length * 3,
    'saml acs',
    () => `the ACS child failed: ${out.text.slice(-2000)}`,
  );
  const dbName = `Meridian, ${dialect} stores`;
  console.log(
    `\n  one core each (${pinned ? 'child pinned with taskset -c 1' : 'not pinned: no taskset'}), sequential, ${input.seconds} s per side`,
  );
  console.log(
    `  ${'set'.padEnd(42)}${'node-saml/s'.padStart(12)}${'Meridian/s'.padStart(12)}${'ratio'.padStart(8)}${`${dbName}/s`.padStart(28)}${'ratio'.padStart(8)}`,
  );
  for (const set of sets) {
    const rate = (side: SideResult['side']) => {
      const r = results.find((x) => x.set === set.name && x.side === side)!;
      return (1000 * r.validated) / r.ms;
    };
    const peer = rate('node-saml');
    const mem = rate('meridian-memory');
    const db = rate('meridian-db');
    console.log(
      `  ${set.name.padEnd(42)}${peer.toFixed(1).padStart(12)}${mem.toFixed(0).padStart(12)}${`${(mem / peer).toFixed(1)}×`.padStart(8)}${db.toFixed(0).padStart(28)}${`${(db / peer).toFixed(1)}×`.padStart(8)}`,
    );
  }
  console.log('  target: Meridian ≥ 10 × node-saml');
  for (const r of results.filter((x) => x.set === sets[0]!.name))
    console.log(`  tampered response refused by ${r.side}: ${r.tamperedRefused}`);
}

/** The child: both sides, one after the other, every answer checked. */
async function acsChild(file: string): Promise<void> {
  const input = JSON.parse(readFileSync(file, 'utf8')) as AcsInput;
  const { SAML, ValidateInResponseTo } = await import('@node-saml/node-saml');
  const { verifySamlResponse } = await import('../packages/server/src/saml/validate/validate.ts');
  const { memoryStores, SP, trusted } = await import('../packages/server/src/saml/validate/test-idp.ts');
  const { openDatabase } = await import('../packages/server/src/kernel/db/database.ts');
  const { migrateToLatest } = await import('../packages/server/src/kernel/db/migrate.ts');
  const { kernelMigrations } = await import('../packages/server/src/kernel/migrations.ts');
  const samlMigration = await import('../packages/server/src/saml/store/migration.ts');
  const { RequestStore } = await import('../packages/server/src/saml/store/request-store.ts');
  const { ReplayStore } = await import('../packages/server/src/saml/store/replay-cache.ts');
  const { createPgDatabase } = await import('../packages/server/test/pg-databases.ts');
  type Env = Parameters<typeof verifySamlResponse>[1];

  const idp = trusted(
    { entityId: IDP_ENTITY, certPem: input.idpCertPem, keyPem: '' },
    { decryptionKeys: [input.spKeyPem] },
  );
  const clock = { now: () => Date.now() };
  const envOf = (stores: Pick<Env, 'requests' | 'replay'>): Env => ({
    idps: { byEntityId: async (e) => (e === idp.entityId ? idp : undefined) },
    sp: { entityId: SP.entityId, acsUrls: [SP.acsUrl] },
    clock,
    ...stores,
  });

  /** One side: `fresh(ids)` gives a validator over fresh state where those requests were sent. */
  type Validate = (samlResponse: string) => Promise<string>;
  type Fresh = (requestIds: readonly string[]) => Promise<Validate>;

  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-acs-'));
  const pg = input.dialect === 'postgres' ? await createPgDatabase() : undefined;
  const db = pg ? openDatabase({ url: pg.url }) : openDatabase({ sqlitePath: join(dir, 'acs.db') });
  try {
    await migrateToLatest(db, { ...kernelMigrations, '0020_saml_validation': samlMigration });

    const nodeSaml: Fresh = async (ids) => {
      const cache = new Map<string, string>();
      const instant = new Date().toISOString();
      for (const id of ids) cache.set(id, instant);
      const saml = new SAML({
        idpCert: input.idpCertPem,
        issuer: SP.entityId,
        audience: SP.entityId,
        callbackUrl: SP.acsUrl,
        wantAssertionsSigned: true,
        wantAuthnResponseSigned: false,
        decryptionPvk: input.spKeyPem,
        validateInResponseTo: ValidateInResponseTo.always,
        acceptedClockSkewMs: 180_000,
        cacheProvider: {
          saveAsync: async (k, v) => {
            cache.set(k, v);
            return { value: v, createdAt: Date.now() };
          },
          getAsync: async (k) => cache.get(k) ?? null,
          removeAsync: async (k) => (k !== null && cache.delete(k) ? k : null),
        },
      });
      return async (r) => {
        const { profile, loggedOut } = await saml.validatePostResponseAsync({ SAMLResponse: r });
        if (loggedOut || !profile) throw new Error('node-saml: no profile');
        return profile.nameID;
      };
    };

    const meridianMemory: Fresh = async (ids) => {
      const stores = memoryStores();
      const now = Date.now();
      for (const id of ids) stores.sent(id, now, IDP_ENTITY);
      const env = envOf(stores);
      return async (r) => (await verifySamlResponse(r, env)).nameId;
    };

    const requests = new RequestStore(db.kysely);
    const replay = new ReplayStore(db.kysely);
    const dbEnv = envOf({ requests, replay });
    const meridianDb: Fresh = async (ids) => {
      await db.kysely.deleteFrom('saml_requests').execute();
      await db.kysely.deleteFrom('saml_replay').execute();
      const now = Date.now();
      for (const id of ids)
        await requests.record(
          { id, login: 'login1', oauthTransactionId: 'oauth1', idpEntityId: IDP_ENTITY },
          now,
        );
      return async (r) => (await verifySamlResponse(r, dbEnv)).nameId;
    };

    const sides: [SideResult['side'], Fresh][] = [
      ['node-saml', nodeSaml],
      ['meridian-memory', meridianMemory],
      ['meridian-db', meridianDb],
    ];
    for (const set of input.sets) {
      for (const [side, fresh] of sides) {
        // The tampered response: refused (with the request it answers known, so that only the
        // signature can refuse it).
        let tamperedRefused = 'ACCEPTED';
        try {
          await (await fresh([input.tamperedRequestId]))(input.tampered);
        } catch (err) {
          const e = err as { code?: string; message?: string };
          tamperedRefused = e.code ?? String(e.message).slice(0, 60);
        }
        if (tamperedRefused === 'ACCEPTED') throw new Error(`${side} accepted the tampered response`);
        // Warm-up: a few responses, untimed.
        const warm = Math.min(20, set.responses.length);
        const w = await fresh(set.requestIds.slice(0, warm));
        for (let i = 0; i < warm; i++) await w(set.responses[i]!);
        let validated = 0;
        let ms = 0;
        while (ms < input.seconds * 1000 || validated === 0) {
          const validate = await fresh(set.requestIds);
          const t = performance.now();
          for (const r of set.responses) {
            const nameId = await validate(r);
            if (nameId !== NAME_ID) throw new Error(`${side} returned the NameID ${nameId}`);
            validated++;
            if (performance.now() - t + ms > input.seconds * 1000) break;
          }
          ms += performance.now() - t;
        }
        const out: SideResult = { set: set.name, side, validated, ms, tamperedRefused };
        process.stdout.write(`${JSON.stringify(out)}\n`);
      }
    }
  } finally {
    await db.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--acs-child') await acsChild(process.argv[3]!);
