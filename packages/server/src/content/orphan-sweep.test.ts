/**
 * Stored files no item references (a process stopped between storing a file and committing its
 * item leaves one) are swept while the portal runs, not only at its next start: past
 * uploads.orphanGraceHours they go; younger ones, files items use, and names the store does not
 * make stay. On SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FormData, startTestPortal, type TestPortal } from '../../test/portal.ts';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`unreferenced stored files swept while running (${database})`, () => {
    let portal: TestPortal;
    before(async () => {
      portal = await startTestPortal({ database, overrides: { 'uploads.orphanGraceHours': 1 } });
    });
    after(() => portal?.close());

    test('an orphan older than the grace period goes; the rest stays', async () => {
      const token = await portal.token();
      const form = new FormData();
      form.set('f', 'json');
      form.set('token', token);
      form.set('title', 'Kept');
      form.set('type', 'PDF');
      form.set('file', new Blob([Buffer.from('%PDF-1.4 kept')]), 'kept.pdf');
      const added = (await (
        await portal.fetch('/sharing/rest/content/users/admin/addItem', { method: 'POST', body: form })
      ).json()) as { id?: string };
      assert.ok(added.id, JSON.stringify(added));
      const files = join(portal.home, 'files');
      const stored = () => readdirSync(files).filter((n) => /^[0-9a-f]{32}$/.test(n));
      const [referenced] = stored();
      assert.ok(referenced);
      const old = 'a'.repeat(32);
      const recent = 'b'.repeat(32);
      writeFileSync(join(files, old), 'left by a kill before the commit');
      writeFileSync(join(files, recent), 'an upload committing now');
      writeFileSync(join(files, 'README'), 'not a name the store makes');
      const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
      utimesSync(join(files, old), twoHoursAgo, twoHoursAgo);
      utimesSync(join(files, referenced!), twoHoursAgo, twoHoursAgo);
      const r = await portal.modules.content.sweepOrphanFiles();
      assert.deepEqual([r.orphans, r.removed, r.kept], [2, 1, [recent]]);
      assert.deepEqual(stored().sort(), [referenced, recent].sort());
      assert.ok(readdirSync(files).includes('README'));
    });
  });
}
