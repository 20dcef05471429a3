/**
 * Ingest into the store, on SQLite and PostgreSQL: the identity providers of good metadata
 * indexed; a second ingest switches generations at once; a truncated, altered or expired
 * aggregate changes nothing (the last good generation stays, no rows left behind) and the
 * failure is recorded with its code; the lease keeps a second ingest out; a refresh job fetches
 * through the guarded client (real HTTPS) with progress; the schedule honours cacheDuration.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPgDatabase } from '../../test/pg-databases.ts';
import { ChangeBus } from '../kernel/bus/bus.ts';
import { type Db, openDatabase } from '../kernel/db/database.ts';
import { migrateToLatest } from '../kernel/db/migrate.ts';
import type { MeridianError } from '../kernel/errors/meridian-error.ts';
import { createJobService, type JobService } from '../kernel/jobs/job-service.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { kernelMigrations } from '../kernel/migrations.ts';
import { createOutboundClient } from '../kernel/outbound/guarded-client.ts';
import { type RunningServer, startHttpsServer } from '../pki/diagnose/test-servers.ts';
import { generateCertificate } from '../pki/generate-certificate.ts';
import { createRootCa, type KeyAndCert } from '../pki/local-ca.ts';
import { leafOptions } from '../pki/test-helpers.ts';
import * as migration from './migration.ts';
import * as searchMigration from './search/migration.ts';
import { createFederationsService, type FederationsService, REFRESH_JOB } from './service.ts';
import {
  aggregateXml,
  entityCertificates,
  entityIdOf,
  makeSigningKey,
  type SigningKey,
  signMetadata,
} from './test-aggregate.ts';

const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();

async function* chunks(text: string, size = 1000): AsyncGenerator<Buffer> {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

const failsWith = (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (err: MeridianError) => {
    assert.equal(err.code, code, err.message);
    return true;
  });

let key: SigningKey;
let certs: string[];
let ca: KeyAndCert;
let server: RunningServer;
let served = '';
const signed = (entities: number, o: { first?: number; validUntil?: string; cacheDuration?: string } = {}) =>
  signMetadata(
    aggregateXml({
      entities,
      validUntil: o.validUntil ?? inDays(5),
      cacheDuration: o.cacheDuration ?? 'PT6H',
      certificates: certs,
      first: o.first,
    }),
    key,
  );

before(async () => {
  [key, certs, ca] = await Promise.all([
    makeSigningKey('RSA'),
    entityCertificates(2),
    createRootCa('Fed Test CA'),
  ]);
  const leaf = await generateCertificate(leafOptions({ issuer: ca }));
  server = await startHttpsServer(
    { key: leaf.keyPem, cert: leaf.certPem + ca.certPem },
    (req, res: ServerResponse) => {
      if (req.url === '/missing') return void res.writeHead(404).end('no');
      res.writeHead(200, {
        'content-type': 'application/samlmetadata+xml',
        'content-length': String(Buffer.byteLength(served)),
      });
      res.end(served);
    },
  );
});
after(() => server.close());

for (const dialect of ['sqlite', 'postgres'] as const)
  describe(`federations on ${dialect}`, () => {
    let db: Db;
    let bus: ChangeBus;
    let jobs: JobService;
    let service: FederationsService;
    let cleanup: () => Promise<void>;
    let clock = Date.now();

    before(async () => {
      if (dialect === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'meridian-fed-'));
        db = openDatabase({ sqlitePath: join(dir, 'm.db') });
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      } else {
        const pg = await createPgDatabase();
        db = openDatabase({ url: pg.url });
        cleanup = pg.drop;
      }
      await migrateToLatest(db, {
        ...kernelMigrations,
        '0022_federations': migration,
        '0025_federation_search': searchMigration,
      });
      bus = new ChangeBus(db);
      await bus.start();
      jobs = createJobService({ db, bus }, { pollMs: 50, progressEveryMs: 10 });
      const kernel = {
        db,
        jobs,
        clock: { now: () => clock },
        log: { info() {}, warn() {} },
        config: {
          federations: {
            maxMegabytes: 16,
            fetchTimeoutSeconds: 30,
            maxValidityDays: 30,
            minRefreshMinutes: 10,
            maxRefreshMinutes: 1440,
            defaultRefreshMinutes: 240,
          },
        },
      } as unknown as Kernel;
      const client = createOutboundClient({
        trustAnchors: () => [ca.certPem],
        includePublicRoots: false,
        allowLoopback: true,
        allowPrivate: false,
      });
      service = createFederationsService(kernel, { client: () => client });
      jobs.startWorker();
    });
    after(async () => {
      await jobs.stop();
      await bus.stop();
      await db.close();
      await cleanup();
    });

    const addFederation = (url = `${server.url}metadata`) =>
      service.add({ name: `Fed ${Math.random()}`, metadataUrl: url, signingCertsPem: key.certPem });

    test('good metadata: its identity providers indexed, the federation updated', async () => {
      const f = await addFederation();
      const r = await service.ingest(f.id, chunks(signed(12)));
      assert.equal(r.entities, 12);
      assert.equal(r.stored, 9);
      const got = await service.get(f.id);
      assert.equal(got.identityProviders, 9);
      assert.equal(got.entities, 12);
      assert.equal(got.lastError, null);
      assert.equal(got.cacheDurationMs, 6 * 3_600_000);
      assert.equal(got.nextRefresh, clock + 6 * 3_600_000);
      const page = await service.identityProviders(f.id, { num: 100 });
      assert.equal(page.total, 9);
      assert.ok(page.identityProviders.every((r) => r.singleSignOnServices.length === 3));
      const one = await service.identityProvider(f.id, entityIdOf(5));
      assert.equal(one?.displayNames.en, 'University 5 & Partners');
      assert.equal(await service.identityProvider(f.id, entityIdOf(4)), undefined, 'a service provider');
      const q = await service.identityProviders(f.id, { q: 'university 11 &' });
      assert.deepEqual(
        q.identityProviders.map((r) => r.entityId),
        [entityIdOf(11)],
      );
    });

    test('a new generation replaces the old one at once; a refused one changes nothing', async () => {
      const f = await addFederation();
      await service.ingest(f.id, chunks(signed(8)));
      const before = await service.identityProviders(f.id, { num: 100 });
      const gens = await service.store.generations(f.id);
      assert.deepEqual(Object.values(gens), [6]);

      const expectUnchanged = async (code: string) => {
        const got = await service.get(f.id);
        assert.equal(got.lastError?.code, code);
        assert.equal(got.identityProviders, 6);
        assert.deepEqual(await service.identityProviders(f.id, { num: 100 }), before);
        assert.deepEqual(
          await service.store.generations(f.id),
          gens,
          'no rows of the refused document are left',
        );
      };
      // Truncated after many entities were read (and written aside in batches).
      const next = signed(40, { first: 100 });
      await failsWith(
        service.ingest(f.id, chunks(next.slice(0, Math.floor(next.length * 0.9)))),
        'federation.truncated',
      );
      await expectUnchanged('federation.truncated');
      await failsWith(
        service.ingest(f.id, chunks(next.replace('uni101.example.edu/idp', 'evil.example/idp'))),
        'federation.digest_mismatch',
      );
      await expectUnchanged('federation.digest_mismatch');
      await failsWith(
        service.ingest(f.id, chunks(signed(4, { validUntil: inDays(-1) }))),
        'federation.valid_until_past',
      );
      await expectUnchanged('federation.valid_until_past');
      const other = await makeSigningKey('EC');
      await failsWith(
        service.ingest(
          f.id,
          chunks(
            signMetadata(aggregateXml({ entities: 3, validUntil: inDays(3), certificates: certs }), other),
          ),
        ),
        'federation.signature_invalid',
      );
      await expectUnchanged('federation.signature_invalid');
      assert.ok((await service.get(f.id)).lastError?.message.includes('signing certificate'));

      // A good one switches: only the new generation remains.
      const r = await service.ingest(f.id, chunks(next, 4096));
      assert.equal(r.stored, 30);
      const after = await service.identityProviders(f.id, { num: 100 });
      assert.equal(after.total, 30);
      assert.ok(
        after.identityProviders.every(
          (i) => !before.identityProviders.some((b) => b.entityId === i.entityId),
        ),
      );
      assert.deepEqual(Object.keys(await service.store.generations(f.id)), [String(r.generation)]);
      assert.equal((await service.get(f.id)).lastError, null);
    });

    test('one ingest at a time per federation (the lease)', async () => {
      const f = await addFederation();
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const xml = signed(6);
      async function* slow() {
        yield Buffer.from(xml.slice(0, 2000));
        await gate;
        yield Buffer.from(xml.slice(2000));
      }
      const first = service.ingest(f.id, slow());
      await sleep(20);
      await failsWith(service.ingest(f.id, chunks(xml)), 'federation.fetch_failed');
      release();
      assert.equal((await first).stored, 5);
      assert.equal((await service.ingest(f.id, chunks(xml))).stored, 5);
    });

    test('a refresh job fetches through the guarded client, with progress; a failed fetch is recorded', async () => {
      const f = await addFederation();
      served = signed(20);
      const id = await service.refresh(f.id);
      let job = await jobs.get(id);
      for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(job.status); i++) {
        await sleep(25);
        job = await jobs.get(id);
      }
      assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
      assert.equal(job.kind, REFRESH_JOB);
      assert.equal(job.progress.done, Buffer.byteLength(served));
      assert.equal(job.progress.total, Buffer.byteLength(served));
      assert.match(job.progress.message, /20 entities read, 15 identity providers/);
      assert.deepEqual(job.result && (job.result as { identityProviders: number }).identityProviders, 15);

      await service.update(f.id, { metadataUrl: `${server.url}missing` });
      const id2 = await service.refresh(f.id);
      for (let i = 0; i < 200 && !['succeeded', 'failed'].includes((await jobs.get(id2)).status); i++)
        await sleep(25);
      const failed = await jobs.get(id2);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error?.code, 'federation.fetch_failed');
      const got = await service.get(f.id);
      assert.equal(got.identityProviders, 15, 'the last good metadata stays');
      assert.equal(got.lastError?.code, 'federation.fetch_failed');
    });

    test('the schedule: due federations started once, next refresh from cacheDuration within bounds', async () => {
      const t = clock;
      assert.equal(
        service.nextRefresh({ cacheDurationMs: 60_000, validUntil: t + 5 * DAY }, t),
        t + 10 * 60_000,
      );
      assert.equal(service.nextRefresh({ cacheDurationMs: 7 * DAY, validUntil: t + 5 * DAY }, t), t + DAY);
      assert.equal(
        service.nextRefresh({ cacheDurationMs: null, validUntil: t + 5 * DAY }, t),
        t + 240 * 60_000,
      );
      assert.equal(
        service.nextRefresh({ cacheDurationMs: 12 * 3_600_000, validUntil: t + 4 * 3_600_000 }, t),
        t + 2 * 3_600_000,
      );
      // Every federation added above is due only later now, except a new one.
      clock += 1;
      const f = await addFederation();
      const started = await service.runSchedule();
      const mine = await Promise.all(started.map((id) => jobs.get(id)));
      assert.ok(mine.some((j) => (j.input as { federationId: string }).federationId === f.id));
      // Claimed: a second pass (another node) starts nothing for it.
      const again = await Promise.all((await service.runSchedule()).map((id) => jobs.get(id)));
      assert.ok(!again.some((j) => (j.input as { federationId: string }).federationId === f.id));
    });
  });
