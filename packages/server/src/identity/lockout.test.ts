/**
 * The sign-in lockout, on both databases: attempts are counted before the password is checked
 * (a parallel burst gets no more checks than the limit), a correct password inside a burst does
 * not clear a lock, one address cannot lock the account for everyone else, unknown usernames
 * behave like known ones, and an administrator (or enabling the user) lifts a lock. Clients
 * come from several loopback addresses (127.0.0.x) to play different machines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, fetch } from 'undici';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../../test/portal.ts';
import { addUser, USER_PASSWORD } from './test-users.ts';

const LIMIT = 3;
const ADDRESS_LIMIT = 12;

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`sign-in lockout (${database})`, () => {
    let portal: TestPortal;
    const agents = new Map<string, Agent>();
    let adminToken: string;

    before(async () => {
      portal = await startTestPortal({
        database,
        overrides: {
          'identity.lockoutAttempts': LIMIT,
          'identity.addressAttempts': ADDRESS_LIMIT,
          'identity.accountAttempts': 8,
        },
      });
      adminToken = await portal.token();
    });
    after(async () => {
      for (const a of agents.values()) await a.close();
      await portal?.close();
    });

    /** generateToken from the loopback address `from` (127.0.0.x). */
    async function signIn(username: string, password: string, from = '127.0.0.1') {
      let agent = agents.get(from);
      if (!agent) {
        agent = new Agent({ connect: { ca: portal.caCertPem }, localAddress: from });
        agents.set(from, agent);
      }
      const res = await fetch(`${portal.url}/sharing/rest/generateToken`, {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password, client: 'requestip', f: 'json' }).toString(),
      });
      // biome-ignore lint/suspicious/noExplicitAny: generateToken answers a token or an error.
      return (await res.json()) as any;
    }

    const outcome = (r: { token?: string; error?: { details: string[] } }) =>
      r.token
        ? 'token'
        : /Invalid username or password/.test(r.error!.details[0]!)
          ? 'invalid'
          : /account is locked/.test(r.error!.details[0]!)
            ? 'locked'
            : r.error!.details[0]!;

    test('a parallel burst of wrong passwords gets exactly the limit of checks', async () => {
      await addUser(portal, 'burst01');
      const burst = ADDRESS_LIMIT - 1;
      const answers = await Promise.all(
        Array.from({ length: burst }, (_, i) => signIn('burst01', `wrong-pass-${i}`, '127.0.0.2')),
      );
      const counts = { invalid: 0, locked: 0 };
      for (const a of answers) counts[outcome(a) as 'invalid' | 'locked']++;
      // The failure that completes the lock answers that the account is now locked.
      assert.deepEqual(counts, { invalid: LIMIT - 1, locked: burst - LIMIT + 1 }, JSON.stringify(counts));
      assert.equal(outcome(await signIn('burst01', USER_PASSWORD, '127.0.0.2')), 'locked');
    });

    test('a correct password inside a burst does not clear the lock', async () => {
      await addUser(portal, 'burst02');
      for (let i = 0; i < LIMIT; i++) await signIn('burst02', `wrong-${i}-xx`, '127.0.0.3');
      const burst = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => signIn('burst02', `again-${i}-xx`, '127.0.0.3')),
        signIn('burst02', USER_PASSWORD, '127.0.0.3'),
      ]);
      assert.ok(
        burst.every((a) => outcome(a) === 'locked'),
        JSON.stringify(burst.map(outcome)),
      );
      assert.equal(outcome(await signIn('burst02', USER_PASSWORD, '127.0.0.3')), 'locked');
    });

    test('a lock from one address does not lock the owner out from another', async () => {
      await addUser(portal, 'owner001');
      assert.equal(outcome(await signIn('owner001', USER_PASSWORD, '127.0.0.4')), 'token');
      for (let i = 0; i < LIMIT + 2; i++) await signIn('owner001', `guess-${i}-xx`, '127.0.0.5');
      assert.equal(outcome(await signIn('owner001', USER_PASSWORD, '127.0.0.5')), 'locked');
      assert.equal(outcome(await signIn('owner001', USER_PASSWORD, '127.0.0.4')), 'token');
      // …and not the administrator either: five tries every quarter of an hour from one place
      // keep only that place out.
      for (let i = 0; i < LIMIT; i++) await signIn('admin', `guess-${i}-xx`, '127.0.0.5');
      assert.equal(outcome(await signIn('admin', ADMIN_PASSWORD, '127.0.0.5')), 'locked');
      assert.equal(outcome(await signIn('admin', ADMIN_PASSWORD, '127.0.0.1')), 'token');
    });

    test('guesses from many addresses lock the account, except where its owner signed in before', async () => {
      await addUser(portal, 'spread01');
      assert.equal(outcome(await signIn('spread01', USER_PASSWORD, '127.0.0.6')), 'token');
      // accountAttempts 8: three addresses × LIMIT failures.
      for (const from of ['127.0.1.1', '127.0.1.2', '127.0.1.3'])
        for (let i = 0; i < LIMIT; i++) await signIn('spread01', `spread-${i}-xx`, from);
      assert.equal(outcome(await signIn('spread01', USER_PASSWORD, '127.0.1.4')), 'locked');
      assert.equal(outcome(await signIn('spread01', USER_PASSWORD, '127.0.0.6')), 'token');
    });

    test('one address guessing over many accounts is refused', async () => {
      const from = '127.0.2.1';
      await Promise.all(
        Array.from({ length: ADDRESS_LIMIT }, (_, i) => signIn(`sprayed${i}`, 'wrong-pass-1', from)),
      );
      const r = await signIn('admin', ADMIN_PASSWORD, from);
      assert.equal(r.error?.messageCode, 'auth.token_not_generated');
      assert.match(r.error.details[0], /Too many failed sign-ins from your address/);
      assert.equal(outcome(await signIn('admin', ADMIN_PASSWORD, '127.0.2.2')), 'token');
    });

    test('an unknown username is answered exactly like a known one', async () => {
      await addUser(portal, 'known001');
      const known: string[] = [];
      const unknown: string[] = [];
      for (let i = 0; i < LIMIT + 1; i++) {
        const k = await signIn('known001', `nope-${i}-xx`, '127.0.3.1');
        const u = await signIn('unknown1', `nope-${i}-xx`, '127.0.3.1');
        // The same answers but for the moment of the lock.
        const shape = (e: { details: string[]; lockedUntil?: number }) =>
          JSON.stringify({
            ...e,
            details: [e.details[0]!.replace(/\d{4}-.*$/, '')],
            lockedUntil: typeof e.lockedUntil,
          });
        known.push(shape(k.error));
        unknown.push(shape(u.error));
      }
      assert.deepEqual(unknown, known);
      // Same timing class: both check a password (scrypt) until locked, neither after.
      const time = async (username: string, from: string) => {
        const t0 = performance.now();
        await signIn(username, 'timing-pass-1', from);
        return performance.now() - t0;
      };
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const k: number[] = [];
      const u: number[] = [];
      for (let i = 0; i < LIMIT - 1; i++) {
        k.push(await time('known001', '127.0.3.2'));
        u.push(await time('unknown1', '127.0.3.3'));
      }
      const ratio = median(u) / median(k);
      assert.ok(ratio > 0.25 && ratio < 4, `unknown/known time ratio ${ratio.toFixed(2)}`);
    });

    test('unlock, enable and a new password each lift a lock; administrators see it', async () => {
      await addUser(portal, 'unlock01');
      // Each round from its own address, so that the per-address limit stays out of the way.
      const lock = async (from: string) => {
        for (let i = 0; i < LIMIT; i++) await signIn('unlock01', `bad-${i}-xxx`, from);
        assert.equal(outcome(await signIn('unlock01', USER_PASSWORD, from)), 'locked');
      };
      await lock('127.0.4.1');
      const listed = await portal.call('/portaladmin/security/users', {
        token: adminToken,
        filter: 'unlock01',
      });
      const row = listed.users.find((u: { username: string }) => u.username === 'unlock01');
      assert.equal(row.locked, true);
      assert.ok(row.lockedUntil > Date.now());
      const unlocked = await portal.call('/portaladmin/security/users/unlock01/unlock', {
        token: adminToken,
      });
      assert.equal(unlocked.status, 'success', JSON.stringify(unlocked));
      assert.equal(outcome(await signIn('unlock01', USER_PASSWORD, '127.0.4.1')), 'token');
      const again = await portal.call('/sharing/rest/community/users/unlock01', { token: adminToken });
      assert.equal(again.locked, false);

      await lock('127.0.4.2');
      await portal.call('/portaladmin/security/users/unlock01/disable', { token: adminToken });
      await portal.call('/portaladmin/security/users/unlock01/enable', { token: adminToken });
      assert.equal(outcome(await signIn('unlock01', USER_PASSWORD, '127.0.4.2')), 'token');

      await lock('127.0.4.3');
      await portal.call('/portaladmin/security/users/unlock01/update', {
        token: adminToken,
        password: 'N3w-password-after-lock',
      });
      assert.equal(outcome(await signIn('unlock01', 'N3w-password-after-lock', '127.0.4.3')), 'token');
    });

    test('a wrong oldPassword on a password change counts as a failed sign-in', async () => {
      await addUser(portal, 'change01');
      const token = await portal.token('change01', USER_PASSWORD);
      for (let i = 0; i < LIMIT; i++) {
        const r = await portal.call('/sharing/rest/community/users/change01/update', {
          token,
          oldPassword: `not-mine-${i}x`,
          password: 'An0ther-password-x',
        });
        assert.ok(r.error, JSON.stringify(r));
      }
      assert.equal(outcome(await signIn('change01', USER_PASSWORD, '127.0.0.1')), 'locked');
      const right = await portal.call('/sharing/rest/community/users/change01/update', {
        token,
        oldPassword: USER_PASSWORD,
        password: 'An0ther-password-x',
      });
      assert.match(right.error.message, /account is locked/, 'the right one is refused while locked');
    });
  });
}
