/**
 * The request store and the replay cache on SQLite and PostgreSQL, each atomic across two
 * connections (two nodes); and a whole validation recorded as a trace, with the database stores.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { type Db, openDatabase } from '../../kernel/db/database.ts';
import { migrateToLatest } from '../../kernel/db/migrate.ts';
import { kernelMigrations } from '../../kernel/migrations.ts';
import { createPipelineRunner } from '../../kernel/pipeline/runner.ts';
import { base64, buildResponse, createTestIdp, SP, type TestIdp, trusted } from '../validate/test-idp.ts';
import type { ValidationEnv } from '../validate/types.ts';
import { validateSamlResponse } from '../validate/validate.ts';
import * as migration from './migration.ts';
import { ReplayStore } from './replay-cache.ts';
import { RequestStore } from './request-store.ts';

const MIGRATIONS = { ...kernelMigrations, '0020_saml_validation': migration };
const NOW = Date.parse('2025-06-01T12:00:00Z');

interface Opened {
  db: Db;
  other: Db;
  cleanup(): Promise<void>;
}

async function open(dialect: 'sqlite' | 'postgres'): Promise<Opened> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-saml-'));
    const db = openDatabase({ sqlitePath: join(dir, 'm.db') });
    await migrateToLatest(db, MIGRATIONS);
    const other = openDatabase({ sqlitePath: join(dir, 'm.db') });
    return {
      db,
      other,
      async cleanup() {
        await other.close();
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const pg = await createPgDatabase();
  const db = openDatabase({ url: pg.url });
  await migrateToLatest(db, MIGRATIONS);
  const other = openDatabase({ url: pg.url });
  return {
    db,
    other,
    async cleanup() {
      await other.close();
      await db.close();
      await pg.drop();
    },
  };
}

let idp: TestIdp;
before(async () => {
  idp = await createTestIdp('https://idp.example.org/idp');
});

for (const dialect of ['sqlite', 'postgres'] as const)
  describe(`SAML stores on ${dialect}`, () => {
    let o: Opened;
    before(async () => {
      o = await open(dialect);
    });
    after(() => o.cleanup());

    test('a request is answered once, by one node; unknown and expired ones are told apart', async () => {
      const requests = new RequestStore(o.db.kysely);
      const otherNode = new RequestStore(o.other.kysely);
      await requests.record(
        { id: '_r1', login: 'l1', oauthTransactionId: 'oa1', idpEntityId: idp.entityId },
        NOW,
      );
      await requests.record({ id: '_r2', login: 'l1', oauthTransactionId: 'oa2', ttlMs: 1000 }, NOW);
      const both = await Promise.all([requests.consume('_r1', NOW + 10), otherNode.consume('_r1', NOW + 10)]);
      const won = both.filter((r) => typeof r === 'object');
      assert.equal(won.length, 1);
      assert.deepEqual(won[0], {
        id: '_r1',
        login: 'l1',
        oauthTransactionId: 'oa1',
        idpEntityId: idp.entityId,
      });
      assert.ok(both.includes('reused'));
      assert.equal(await requests.consume('_r1', NOW + 20), 'reused');
      assert.equal(await requests.consume('_nope', NOW), 'unknown');
      assert.equal(await requests.consume('_r2', NOW + 1000), 'expired');
      assert.equal(await requests.sweep(NOW + 700_000), 2);
      assert.equal(await requests.consume('_r1', NOW + 700_000), 'unknown');
    });

    test('an assertion ID is remembered once until it expires, across nodes', async () => {
      const replay = new ReplayStore(o.db.kysely);
      const otherNode = new ReplayStore(o.other.kysely);
      const both = await Promise.all([
        replay.remember(idp.entityId, '_a1', NOW + 60_000, NOW),
        otherNode.remember(idp.entityId, '_a1', NOW + 60_000, NOW),
      ]);
      assert.deepEqual(both.sort(), [false, true]);
      assert.equal(await replay.remember(idp.entityId, '_a1', NOW + 60_000, NOW + 1000), false);
      assert.equal(await replay.remember('https://other.example.org', '_a1', NOW + 60_000, NOW), true);
      assert.equal(
        await replay.remember(idp.entityId, '_a1', NOW + 200_000, NOW + 60_000),
        true,
        'after expiry',
      );
      assert.equal(await replay.sweep(NOW + 300_000), 2);
    });

    test('a validation with these stores is traced: accepted, then the replay refused', async () => {
      const requests = new RequestStore(o.db.kysely);
      const pipelines = createPipelineRunner({ db: o.db, keepDays: 14, clock: { now: () => NOW } });
      const env: ValidationEnv = {
        idps: { byEntityId: async (e) => (e === idp.entityId ? trusted(idp) : undefined) },
        sp: { entityId: SP.entityId, acsUrls: [SP.acsUrl] },
        clock: { now: () => NOW },
        requests,
        replay: new ReplayStore(o.db.kysely),
      };
      await requests.record({ id: '_r9', login: 'l1', oauthTransactionId: 'oa9' }, NOW - 1000);
      const message = base64(
        buildResponse({ idp, now: NOW, inResponseTo: '_r9', nameId: 'carol@example.org' }),
      );
      const ok = await validateSamlResponse(pipelines, message, env);
      assert.ok(ok.ok);
      assert.equal(ok.assertion.nameId, 'carol@example.org');
      assert.equal(ok.request.oauthTransactionId, 'oa9');
      const again = await validateSamlResponse(pipelines, message, env);
      assert.ok(!again.ok);
      assert.deepEqual([again.error.code, again.step], ['saml.replayed', 'check_replay']);
      const trace = await pipelines.get(again.traceId!);
      assert.equal(trace.pipeline, 'saml.response');
      assert.equal(trace.code, 'saml.replayed');
      assert.match(trace.subject, /^SAMLResponse sha256:[0-9a-f]{16} idp=https:\/\/idp\.example\.org\/idp$/);
      assert.equal(trace.steps.at(-1)!.name, 'check_replay');
      assert.match(trace.steps.find((s) => s.name === 'choose_idp')!.detail, /idp\.example\.org/);
      const all = JSON.stringify(await pipelines.list({ pipeline: 'saml.response' }));
      assert.ok(!all.includes('carol'), 'no trace names the user');
      assert.ok(!all.includes(message.slice(0, 40)), 'no trace holds the message');
    });
  });
