import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createPgDatabase } from '../../test/pg-databases.ts';
import { startTestPortal } from '../../test/portal.ts';

describe('initial administrator', () => {
  test('without admin.password a generated password is written once, mode 0600', async () => {
    const home = mkdtempSync(join(tmpdir(), 'meridian-initial-'));
    try {
      const first = await startTestPortal({ home, overrides: { 'admin.password': '' } });
      try {
        assert.equal(first.modules.identity.initialAdmin.created, true);
        const file = join(home, 'initial-admin-password');
        assert.equal(first.modules.identity.initialAdmin.passwordFile, file);
        assert.equal(statSync(file).mode & 0o777, 0o600);
        const password = readFileSync(file, 'utf8').trim();
        assert.ok(password.length >= 20);
        const token = await first.token('admin', password);
        const me = await first.call('/sharing/rest/community/self', { token }, { method: 'GET' });
        assert.equal(me.role, 'org_admin');
      } finally {
        await first.close();
      }
      const again = await startTestPortal({ home, overrides: { 'admin.password': '' } });
      try {
        assert.equal(again.modules.identity.initialAdmin.created, false);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('the password file is deleted once the administrator changes that password', async () => {
    const home = mkdtempSync(join(tmpdir(), 'meridian-initial-'));
    const file = join(home, 'initial-admin-password');
    try {
      const portal = await startTestPortal({ home, overrides: { 'admin.password': '' } });
      try {
        const password = readFileSync(file, 'utf8').trim();
        const token = await portal.token('admin', password);
        const wrong = await portal.call('/sharing/rest/community/users/admin/update', {
          token,
          oldPassword: 'not-the-password-1',
          password: 'Ch4nged-admin-password',
        });
        assert.ok(wrong.error, JSON.stringify(wrong));
        assert.ok(existsSync(file), 'a refused change keeps the file');
        const changed = await portal.call('/sharing/rest/community/users/admin/update', {
          token,
          oldPassword: password,
          password: 'Ch4nged-admin-password',
        });
        assert.equal(changed.success, true, JSON.stringify(changed));
        assert.ok(!existsSync(file), 'the file is gone');
      } finally {
        await portal.close();
      }
      // Changed elsewhere (another node, the CLI): the next start removes a stale file.
      writeFileSync(file, 'Some-0ld-generated-password\n', { mode: 0o600 });
      const again = await startTestPortal({ home, overrides: { 'admin.password': '' } });
      await again.close();
      assert.ok(!existsSync(file), 'a stale file is removed at start');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('two nodes starting at once on one PostgreSQL database create one admin', async () => {
    const db = await createPgDatabase();
    // Nodes of one portal share the secrets key.
    const key = `${randomBytes(32).toString('base64')}\n`;
    const homes = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'meridian-node-')));
    for (const h of homes) writeFileSync(join(h, 'secrets.key'), key, { mode: 0o600 });
    try {
      const nodes = await Promise.all(
        homes.map((home) =>
          startTestPortal({
            databaseUrl: db.url,
            home,
            overrides: { 'content.filesDir': join(homes[0]!, 'files') },
          }),
        ),
      );
      try {
        const created = nodes.filter((n) => n.modules.identity.initialAdmin.created).length;
        assert.ok(created <= 1);
        const admins = await nodes[0]!.kernel.db.kysely.selectFrom('users').select('username').execute();
        assert.deepEqual(
          admins.map((a) => a.username),
          ['admin'],
        );
      } finally {
        for (const n of nodes) await n.close();
      }
    } finally {
      await db.drop();
      for (const h of homes) rmSync(h, { recursive: true, force: true });
    }
  });
});
