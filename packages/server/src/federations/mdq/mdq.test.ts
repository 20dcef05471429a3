/**
 * MDQ on SQLite and PostgreSQL: an identity provider asked of the federation's metadata query
 * service over real HTTPS (a test CA the guarded client trusts), verified with the
 * federation's key and cached; asked again only when its cacheDuration has passed; a failure
 * never replaces a good entry; refused answers (altered, another key, a key in KeyInfo, no
 * validUntil, another entity) with their codes; an unknown entity negative-cached briefly.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { ChangeBus } from '../../kernel/bus/bus.ts';
import { type Db, openDatabase } from '../../kernel/db/database.ts';
import { migrateToLatest } from '../../kernel/db/migrate.ts';
import type { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { createJobService, type JobService } from '../../kernel/jobs/job-service.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { kernelMigrations } from '../../kernel/migrations.ts';
import { createOutboundClient } from '../../kernel/outbound/guarded-client.ts';
import { type RunningServer, startHttpsServer } from '../../pki/diagnose/test-servers.ts';
import { generateCertificate } from '../../pki/generate-certificate.ts';
import { createRootCa, type KeyAndCert } from '../../pki/local-ca.ts';
import { leafOptions } from '../../pki/test-helpers.ts';
import * as migration from '../migration.ts';
import * as searchMigration from '../search/migration.ts';
import { createFederationsService, type FederationsService } from '../service.ts';
import {
  aggregateXml,
  entityCertificates,
  entityIdOf,
  idpXml,
  makeSigningKey,
  type SigningKey,
  type SignOptions,
  signMetadata,
  spXml,
} from '../test-aggregate.ts';
import { mdqQueryUrl } from './mdq.ts';
import * as mdqMigration from './migration.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const MDUI = 'urn:oasis:names:tc:SAML:metadata:ui';

let key: SigningKey;
let other: SigningKey;
let certs: string[];
let ca: KeyAndCert;
let server: RunningServer;
/** What the MDQ service answers, by request path; and the requests it got. */
const answers = new Map<string, { status: number; body: string }>();
const requests: string[] = [];
const asked = (path: string) => requests.filter((r) => r === path).length;

/** Entity n alone, as an MDQ service answers it: validUntil and cacheDuration on its root, signed. */
function entityXml(
  n: number,
  o: {
    validUntil?: string | null;
    cacheDuration?: string;
    sp?: boolean;
    signer?: SigningKey;
  } & SignOptions = {},
): string {
  const body = (o.sp ? spXml(n, certs) : idpXml(n, certs)).trim();
  const attrs = [
    o.validUntil === null
      ? ''
      : ` validUntil="${o.validUntil ?? new Date(Date.now() + 2 * DAY).toISOString()}"`,
    o.cacheDuration ? ` cacheDuration="${o.cacheDuration}"` : '',
    // The declarations an aggregate's root gives its entities.
    body.includes(`xmlns:ds="${DS}"`) ? '' : ` xmlns:ds="${DS}"`,
    body.includes(`xmlns:mdui="${MDUI}"`) && !o.sp ? '' : ` xmlns:mdui="${MDUI}"`,
    body.includes(`xmlns:md="${MD}"`) ? '' : ` xmlns:md="${MD}"`,
  ].join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${body.replace(/ entityID="/, `${attrs} entityID="`)}\n`;
  return signMetadata(xml, o.signer ?? key, o);
}

const pathOf = (entityId: string) => new URL(mdqQueryUrl(`${server.url}mdq/`, entityId)).pathname;
const serve = (entityId: string, body: string, status = 200) =>
  answers.set(pathOf(entityId), { status, body });

const failsWith = (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (err: MeridianError) => {
    assert.equal(err.code, code, err.message);
    return true;
  });

before(async () => {
  [key, other, certs, ca] = await Promise.all([
    makeSigningKey('RSA'),
    makeSigningKey('RSA', 'Someone Else'),
    entityCertificates(2),
    createRootCa('MDQ Test CA'),
  ]);
  const leaf = await generateCertificate(leafOptions({ issuer: ca }));
  server = await startHttpsServer(
    { key: leaf.keyPem, cert: leaf.certPem + ca.certPem },
    (req, res: ServerResponse) => {
      const path = new URL(req.url ?? '/', 'https://x').pathname;
      requests.push(path);
      const a = answers.get(path);
      if (!a) return void res.writeHead(404).end('unknown entity');
      res.writeHead(a.status, { 'content-type': 'application/samlmetadata+xml' }).end(a.body);
    },
  );
});
after(() => server.close());

test('the query URL: percent-encoded entity ID, or the {sha1} form; the base with or without its final /', () => {
  const id = 'https://idp.example.org/idp/shibboleth';
  assert.equal(
    mdqQueryUrl('https://mdq.example.org/global/', id),
    'https://mdq.example.org/global/entities/https%3A%2F%2Fidp.example.org%2Fidp%2Fshibboleth',
  );
  assert.equal(
    mdqQueryUrl('https://mdq.example.org/global', id, 'sha1'),
    // printf %s https://idp.example.org/idp/shibboleth | sha1sum
    'https://mdq.example.org/global/entities/%7Bsha1%7D1bec942a9ca29787c26924440ad4cb8208f9b9e4',
  );
});

for (const dialect of ['sqlite', 'postgres'] as const)
  describe(`MDQ on ${dialect}`, () => {
    let db: Db;
    let bus: ChangeBus;
    let jobs: JobService;
    let service: FederationsService;
    let cleanup: () => Promise<void>;
    let clock = Date.now();

    before(async () => {
      if (dialect === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'meridian-mdq-'));
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
        '0026_federation_mdq': mdqMigration,
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
            mdqCacheMinutes: 240,
            mdqNegativeCacheMinutes: 5,
            mdqTimeoutSeconds: 10,
            mdqMaxKilobytes: 64,
            mdqIdentifier: 'entityId',
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
    });
    after(async () => {
      await jobs.stop();
      await bus.stop();
      await db.close();
      await cleanup();
    });

    const mdqOnly = () =>
      service.add({
        name: `MDQ ${Math.random()}`,
        metadataUrl: '',
        mdqUrl: `${server.url}mdq/`,
        signingCertsPem: key.certPem,
      });
    // Entity numbers differ per dialect (the server's answers are shared).
    const n0 = dialect === 'sqlite' ? 1000 : 2000;

    test('an MDQ-only federation: found, verified, cached (a second lookup asks nothing); no aggregate to refresh', async () => {
      const f = await mdqOnly();
      assert.equal(f.metadataUrl, '');
      assert.equal(f.mdqUrl, `${server.url}mdq/`);
      const id = entityIdOf(n0 + 5);
      serve(id, entityXml(n0 + 5, { cacheDuration: 'PT1H' }));
      const got = await service.identityProvider(f.id, id);
      assert.equal(got?.entityId, id);
      assert.equal(got?.displayNames.en, `University ${n0 + 5} & Partners`);
      assert.equal(got?.singleSignOnServices.length, 3);
      assert.equal(got?.signingCertificates.length, 1);
      assert.equal(asked(pathOf(id)), 1);
      assert.deepEqual(await service.identityProvider(f.id, id), got);
      assert.equal(asked(pathOf(id)), 1, 'cached: no second request');
      const row = await service.mdq.get(f.id, id);
      assert.equal(Number(row?.refresh_after), clock + HOUR, 'cacheDuration honoured');
      await failsWith(service.refresh(f.id), 'federation.invalid_input');
      assert.ok(!(await service.store.due(clock + DAY)).some((r) => r.id === f.id), 'never scheduled');
    });

    test('an entry past its cacheDuration is fetched again; a failure then keeps the good entry until its validUntil', async () => {
      const f = await mdqOnly();
      const n = n0 + 7;
      const id = entityIdOf(n);
      const validUntil = clock + 2 * DAY;
      serve(id, entityXml(n, { cacheDuration: 'PT1H', validUntil: new Date(validUntil).toISOString() }));
      const first = await service.identityProvider(f.id, id);
      assert.equal(asked(pathOf(id)), 1);
      clock += 2 * HOUR;
      try {
        assert.deepEqual(await service.identityProvider(f.id, id), first);
        assert.equal(asked(pathOf(id)), 2, 'expired by cacheDuration: asked again');
        // The service now fails, then answers a bad signature: the good entry stays in use.
        clock += 2 * HOUR;
        serve(id, 'down', 503);
        assert.deepEqual(await service.identityProvider(f.id, id), first);
        assert.equal(asked(pathOf(id)), 3);
        clock += 2 * HOUR;
        serve(id, entityXml(n, { signer: other }));
        assert.deepEqual(await service.identityProvider(f.id, id), first);
        clock += 2 * HOUR;
        serve(id, 'gone', 404);
        assert.deepEqual(
          await service.identityProvider(f.id, id),
          first,
          'an unsigned 404 takes nothing away',
        );
        const row = await service.mdq.get(f.id, id);
        assert.equal(Number(row?.valid_until), Date.parse(new Date(validUntil).toISOString()));
        assert.ok(row?.record);
        // Past its validUntil the entry is of no use: the failure is the answer.
        clock = validUntil + 1;
        serve(id, 'down', 503);
        await failsWith(service.identityProvider(f.id, id), 'federation.mdq_unavailable');
      } finally {
        clock = Date.now();
      }
    });

    test('refused answers, each with its code, and nothing cached', async () => {
      const f = await mdqOnly();
      const cases: [number, string, string][] = [
        [n0 + 11, entityXml(n0 + 11).replace('Partners', 'Impostors'), 'federation.digest_mismatch'],
        [n0 + 13, entityXml(n0 + 13, { signer: other }), 'federation.signature_invalid'],
        [
          n0 + 14,
          entityXml(n0 + 14, { signer: other, keyInfoCertPem: other.certPem }),
          'federation.signature_invalid',
        ],
        [n0 + 17, entityXml(n0 + 17, { validUntil: null }), 'federation.valid_until_missing'],
        [
          n0 + 19,
          entityXml(n0 + 19, { validUntil: new Date(clock - HOUR).toISOString() }),
          'federation.valid_until_past',
        ],
        [
          n0 + 20,
          entityXml(n0 + 20).replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, ''),
          'federation.signature_missing',
        ],
        // A good answer, for another entity.
        [n0 + 22, entityXml(n0 + 23), 'federation.mdq_entity_mismatch'],
        [
          n0 + 25,
          signMetadata(
            aggregateXml({
              entities: 2,
              first: n0 + 25,
              validUntil: new Date(clock + DAY).toISOString(),
              certificates: certs,
            }),
            key,
          ),
          'federation.not_a_entities_descriptor',
        ],
        [
          n0 + 26,
          entityXml(n0 + 26).replace(
            /<\/(md:)?EntityDescriptor>\s*$/,
            (end) => `<!--${'x'.repeat(70 * 1024)}-->${end}`,
          ),
          'federation.mdq_unavailable',
        ],
      ];
      for (const [n, body, code] of cases) {
        const id = entityIdOf(n);
        serve(id, body);
        await failsWith(service.identityProvider(f.id, id), code);
        assert.equal(await service.mdq.get(f.id, id), undefined, `${code}: nothing cached`);
      }
    });

    test('an unknown entity (404, or not an identity provider) is negative-cached, briefly', async () => {
      const f = await mdqOnly();
      const unknown = `https://nobody${n0}.example.org/idp`;
      assert.equal(await service.identityProvider(f.id, unknown), undefined);
      assert.equal(await service.identityProvider(f.id, unknown), undefined);
      assert.equal(asked(pathOf(unknown)), 1, 'the second lookup asks nothing');
      const sp = `https://sp${n0 + 28}.example.com/shibboleth`;
      serve(sp, entityXml(n0 + 28, { sp: true }));
      assert.equal(await service.identityProvider(f.id, sp), undefined, 'a service provider is not kept');
      assert.equal(await service.identityProvider(f.id, sp), undefined);
      assert.equal(asked(pathOf(sp)), 1);
      clock += 6 * 60_000;
      try {
        const n = n0 + 29;
        serve(unknown, entityXml(n).replace(entityIdOf(n), unknown));
        // The replace altered the signed content: refused; the negative entry is not replaced either.
        await failsWith(service.identityProvider(f.id, unknown), 'federation.digest_mismatch');
        assert.equal(asked(pathOf(unknown)), 2, 'asked again once the negative entry ran out');
      } finally {
        clock = Date.now();
      }
    });

    test('with an aggregate too: its identity providers come from it, the others from MDQ; a new key drops the cache', async () => {
      const f = await service.add({
        name: 'Both',
        metadataUrl: `${server.url}aggregate.xml`,
        mdqUrl: `${server.url}mdq`,
        signingCertsPem: key.certPem,
      });
      const first = n0 + 100;
      const xml = signMetadata(
        aggregateXml({
          entities: 3,
          first,
          validUntil: new Date(clock + 5 * DAY).toISOString(),
          certificates: certs,
        }),
        key,
      );
      await service.ingest(
        f.id,
        (async function* () {
          yield Buffer.from(xml);
        })(),
      );
      const inAggregate = entityIdOf(first + 1);
      assert.equal((await service.identityProvider(f.id, inAggregate))?.entityId, inAggregate);
      assert.equal(asked(pathOf(inAggregate)), 0);
      const id = entityIdOf(n0 + 31);
      serve(id, entityXml(n0 + 31));
      assert.equal((await service.identityProvider(f.id, id))?.entityId, id);
      assert.equal(asked(pathOf(id)), 1);
      assert.ok(await service.mdq.get(f.id, id));
      await service.update(f.id, { name: 'Both, renamed' });
      assert.ok(await service.mdq.get(f.id, id), 'a new name keeps the cache');
      const rolled = await makeSigningKey('EC');
      await service.update(f.id, { signingCertsPem: `${key.certPem}${rolled.certPem}` });
      assert.equal(await service.mdq.get(f.id, id), undefined, 'a new key drops it');
      await failsWith(service.update(f.id, { metadataUrl: '', mdqUrl: null }), 'federation.invalid_input');
    });
  });
