import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findUserByUsername } from '../identity/users-store.ts';
import { loadPortalConfig, openPortalNode, type PortalNode } from '../roles/portal.ts';
import type { TokenPayload } from './token-format.ts';
import type { PresentedToken } from './token-service.ts';
import { VerifiedTokens } from './verified-tokens.ts';

const payload = (uid: string): TokenPayload => ({
  uid,
  sub: uid,
  ep: 0,
  iat: 0,
  exp: 1,
  kind: 'api',
  bind: { type: 'none' },
});

describe('verified tokens (the signature-check memo)', () => {
  test('holds at most its size, dropping the oldest first', () => {
    const memo = new VerifiedTokens(2);
    const key = Buffer.alloc(32, 1);
    memo.remember('a', key, payload('a'));
    memo.remember('b', key, payload('b'));
    memo.remember('c', key, payload('c'));
    assert.equal(memo.size, 2);
    assert.equal(memo.get('a', key), undefined);
    assert.equal(memo.get('c', key)?.uid, 'c');
  });

  test('a hit counts only with the key the signature was checked with', () => {
    const memo = new VerifiedTokens();
    const key = Buffer.alloc(32, 1);
    memo.remember('t', key, payload('u'));
    assert.equal(memo.get('t', Buffer.alloc(32, 1)), undefined, 'an equal but other key object misses');
    assert.equal(memo.size, 0, 'and forgets the entry');
  });
});

describe('token verification with the memo (a portal node, a clock the test moves)', () => {
  let home: string;
  let node: PortalNode;
  let now = Date.UTC(2026, 10, 29, 12);
  let issue: (minutes: number) => Promise<string>;
  const present = (token: string): PresentedToken => ({
    token,
    via: 'token',
    ip: '127.0.0.1',
    referer: undefined,
  });

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'meridian-verified-'));
    const config = loadPortalConfig({
      env: {},
      overrides: { home, 'admin.password': 'Adm1n-test-password!' },
    });
    node = await openPortalNode(config, { logger: false, clock: { now: () => now } });
    const admin = await findUserByUsername(node.kernel.db.kysely, 'admin');
    assert.ok(admin);
    issue = async (minutes) =>
      (
        await node.modules.tokens.service.issue({
          userId: admin.id,
          username: admin.username,
          epoch: Number(admin.token_epoch),
          expires: now + minutes * 60_000,
        })
      ).token;
  });
  after(async () => {
    await node.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('a token verified before still expires on time', async () => {
    const service = node.modules.tokens.service;
    const token = await issue(5);
    assert.equal((await service.verify(present(token))).username, 'admin');
    assert.equal((await service.verify(present(token))).username, 'admin', 'the second time from the memo');
    now += 5 * 60_000;
    await assert.rejects(service.verify(present(token)), (err: Error & { detail?: string }) => {
      assert.match(String(err.detail), /expired/);
      return true;
    });
  });

  test('a verified token with another signature is not a hit', async () => {
    const service = node.modules.tokens.service;
    const token = await issue(60);
    await service.verify(present(token));
    const parts = token.split('.');
    const sig = parts[3]!;
    const forged = [...parts.slice(0, 3), `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`].join('.');
    await assert.rejects(service.verify(present(forged)), (err: Error & { detail?: string }) => {
      assert.match(String(err.detail), /bad signature/);
      return true;
    });
  });

  test('a verified token stops verifying when its key is retired', async () => {
    const service = node.modules.tokens.service;
    const token = await issue(60);
    await service.verify(present(token));
    const kid = token.split('.')[1]!;
    await service.keys.rotate();
    await node.kernel.db.kysely
      .updateTable('token_signing_keys')
      .set({ retire_after: now - 1 })
      .where('kid', '=', kid)
      .execute();
    await service.keys.reload();
    await assert.rejects(service.verify(present(token)), (err: Error & { detail?: string }) => {
      assert.match(String(err.detail), /retired/);
      return true;
    });
  });
});
