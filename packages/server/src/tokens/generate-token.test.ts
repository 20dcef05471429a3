import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ArcGISIdentityManager, request as arcgisRequest } from '@esri/arcgis-rest-request';
import { Agent, type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../identity/test-users.ts';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`generateToken and token verification (${database})`, () => {
    let portal: TestPortal;
    const self = (token: string, headers: Record<string, string> = {}) =>
      portal.call('/sharing/rest/community/self', { token }, { method: 'GET', headers });

    before(async () => {
      portal = await startTestPortal({ database, overrides: { 'identity.lockoutAttempts': 3 } });
      await addUser(portal, 'tokenuser');
      await addUser(portal, 'lockeduser');
    });
    after(() => portal.close());

    test('a token for the org default lifetime, then a chosen one, then a clamped one', async () => {
      const t0 = Date.now();
      const def = await portal.call('/sharing/rest/generateToken', {
        username: 'tokenuser',
        password: USER_PASSWORD,
        client: 'requestip',
      });
      assert.equal(def.ssl, true);
      assert.match(def.token, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.ok(Math.abs(def.expires - (t0 + 120 * 60_000)) < 10_000, `default expiry ${def.expires}`);
      const me = await self(def.token);
      assert.equal(me.username, 'tokenuser');

      const hour = await portal.call('/sharing/rest/generateToken', {
        username: 'tokenuser',
        password: USER_PASSWORD,
        expiration: 60,
      });
      assert.ok(Math.abs(hour.expires - (Date.now() + 60 * 60_000)) < 10_000);

      const long = await portal.call('/sharing/rest/generateToken', {
        username: 'tokenuser',
        password: USER_PASSWORD,
        expiration: 1_000_000,
      });
      assert.equal(long.error, undefined, 'an over-long expiration is clamped, not refused');
      assert.ok(Math.abs(long.expires - (Date.now() + 20160 * 60_000)) < 10_000);
    });

    test('the org maximum clamps, the org default applies', async () => {
      await portal.modules.portal.settings.update({
        maxTokenExpirationMinutes: 30,
        defaultTokenExpirationMinutes: 15,
      });
      try {
        const def = await portal.call('/sharing/rest/generateToken', {
          username: 'tokenuser',
          password: USER_PASSWORD,
        });
        assert.ok(Math.abs(def.expires - (Date.now() + 15 * 60_000)) < 10_000);
        const long = await portal.call('/sharing/rest/generateToken', {
          username: 'tokenuser',
          password: USER_PASSWORD,
          expiration: 600,
        });
        assert.ok(Math.abs(long.expires - (Date.now() + 30 * 60_000)) < 10_000);
      } finally {
        await portal.modules.portal.settings.update({
          maxTokenExpirationMinutes: 20160,
          defaultTokenExpirationMinutes: 120,
        });
      }
    });

    test('a wrong password answers in the ArcGIS shape', async () => {
      const r = await portal.call('/sharing/rest/generateToken', {
        username: 'tokenuser',
        password: 'wrong-pass1',
      });
      assert.equal(r.error.code, 400);
      assert.equal(r.error.message, 'Unable to generate token.');
      assert.deepEqual(r.error.details, ['Invalid username or password.']);
      const nobody = await portal.call('/sharing/rest/generateToken', {
        username: 'nobody99',
        password: 'wrong-pass1',
      });
      assert.deepEqual(nobody.error, r.error, 'an unknown user is indistinguishable');
    });

    test('three failures lock the account, and the error says until when', async () => {
      for (let i = 0; i < 2; i++) {
        const r = await portal.call('/sharing/rest/generateToken', {
          username: 'lockeduser',
          password: `bad-${i}xx`,
        });
        assert.deepEqual(r.error.details, ['Invalid username or password.']);
      }
      const third = await portal.call('/sharing/rest/generateToken', {
        username: 'lockeduser',
        password: 'bad-3xx',
      });
      assert.match(third.error.details[0], /locked/);
      const right = await portal.call('/sharing/rest/generateToken', {
        username: 'lockeduser',
        password: USER_PASSWORD,
      });
      assert.equal(right.error.code, 400);
      assert.match(right.error.details[0], /account is locked .* unlocks at (\S+) \(in 15 minutes\)/);
      const until = Date.parse(/unlocks at (\S+) /.exec(right.error.details[0])![1]!);
      assert.ok(Math.abs(until - (Date.now() + 15 * 60_000)) < 30_000);
      assert.equal(right.error.lockedUntil, until);
      // When the lock has run out, the right password works again.
      await portal.kernel.db.kysely
        .updateTable('sign_in_throttle')
        .set({ locked_until: Date.now() - 1 })
        .where('username', '=', 'lockeduser')
        .execute();
      const later = await portal.call('/sharing/rest/generateToken', {
        username: 'lockeduser',
        password: USER_PASSWORD,
      });
      assert.ok(later.token, JSON.stringify(later));
    });

    test('client=referer binds the token to the Referer header; non-URL referers work', async () => {
      const r = await portal.call('/sharing/rest/generateToken', {
        username: 'tokenuser',
        password: USER_PASSWORD,
        client: 'referer',
        referer: 'https://app.example.com',
      });
      assert.equal(
        (await self(r.token, { referer: 'https://app.example.com/maps/1' })).username,
        'tokenuser',
      );
      assert.equal((await self(r.token, { referer: 'https://app.example.com' })).username, 'tokenuser');
      assert.equal((await self(r.token, { referer: 'https://evil.example.com/' })).error.code, 498);
      assert.equal((await self(r.token, { referer: 'https://app.example.com.evil.org/' })).error.code, 498);
      assert.equal((await self(r.token)).error.code, 498, 'no Referer');

      const node = await portal.call('/sharing/rest/generateToken', {
        username: 'tokenuser',
        password: USER_PASSWORD,
        client: 'referer',
        referer: '@esri/arcgis-rest-js',
      });
      assert.equal((await self(node.token, { referer: '@esri/arcgis-rest-js' })).username, 'tokenuser');
      assert.equal((await self(node.token, { referer: '@esri/other' })).error.code, 498);

      const missing = await portal.call('/sharing/rest/generateToken', {
        username: 'tokenuser',
        password: USER_PASSWORD,
        client: 'referer',
      });
      assert.match(missing.error.details[0], /referer/);
    });

    test('client=ip binds to the given address, client=requestip to the caller', async () => {
      const other = await portal.call('/sharing/rest/generateToken', {
        username: 'tokenuser',
        password: USER_PASSWORD,
        client: 'ip',
        ip: '10.1.2.3',
      });
      assert.equal((await self(other.token)).error.code, 498);
      const mine = await portal.call('/sharing/rest/generateToken', {
        username: 'tokenuser',
        password: USER_PASSWORD,
        client: 'ip',
        ip: '127.0.0.1',
      });
      assert.equal((await self(mine.token)).username, 'tokenuser');
      const req = await portal.call('/sharing/rest/generateToken', {
        username: 'tokenuser',
        password: USER_PASSWORD,
        client: 'requestip',
      });
      assert.equal((await self(req.token)).username, 'tokenuser');
    });

    test('tokens are accepted as Authorization: Bearer and X-Esri-Authorization: Bearer', async () => {
      const token = await portal.token('tokenuser', USER_PASSWORD);
      for (const header of ['authorization', 'x-esri-authorization']) {
        const r = await portal.call(
          '/sharing/rest/community/self',
          {},
          {
            method: 'GET',
            headers: { [header]: `Bearer ${token}` },
          },
        );
        assert.equal(r.username, 'tokenuser', header);
        const bad = await portal.call(
          '/sharing/rest/community/self',
          {},
          {
            method: 'GET',
            headers: { [header]: `Bearer ${token.slice(0, -2)}xx` },
          },
        );
        assert.equal(bad.error.code, 498, header);
      }
    });

    test('missing token 499, bad token 498 even on a public endpoint, expired token 498', async () => {
      assert.equal(
        (await portal.call('/sharing/rest/community/self', {}, { method: 'GET' })).error.code,
        499,
      );
      const pub = await portal.call('/sharing/rest/portals/self', { token: 'v1.garbage' }, { method: 'GET' });
      assert.equal(pub.error.code, 498);
      assert.equal(pub.error.message, 'Invalid token.');
      const user = await portal.kernel.db.kysely
        .selectFrom('users')
        .selectAll()
        .where('username_lower', '=', 'tokenuser')
        .executeTakeFirstOrThrow();
      const service = portal.modules.tokens.service;
      const fresh = await service.issue({
        userId: user.id,
        username: user.username,
        epoch: user.token_epoch,
        expires: Date.now() + 60_000,
      });
      assert.equal((await self(fresh.token)).username, 'tokenuser');
      const expired = await service.issue({
        userId: user.id,
        username: user.username,
        epoch: user.token_epoch,
        expires: Date.now() - 1,
      });
      assert.equal((await self(expired.token)).error.code, 498);
      // A forged payload with a valid-looking signature from elsewhere.
      const [v, kid, , sig] = fresh.token.split('.');
      const forged = `${v}.${kid}.${Buffer.from('{"uid":"x","ep":0,"exp":99999999999999}').toString('base64url')}.${sig}`;
      assert.equal((await self(forged)).error.code, 498);
    });

    test('@esri/arcgis-rest-request signs in and uses its token unmodified', async () => {
      const previous: Dispatcher = getGlobalDispatcher();
      setGlobalDispatcher(new Agent({ connect: { ca: portal.caCertPem } }));
      try {
        const session = await ArcGISIdentityManager.signIn({
          username: 'tokenuser',
          password: USER_PASSWORD,
          portal: `${portal.url}/sharing/rest`,
        });
        const me = await arcgisRequest(`${portal.url}/sharing/rest/community/self`, {
          authentication: session,
        });
        assert.equal(me.username, 'tokenuser');
        assert.ok(session.token.startsWith('v1.'));
      } finally {
        setGlobalDispatcher(previous);
      }
    });
  });
}
