/**
 * A sync run whose node died is joined by the next "sync now" (its job is taken over once the
 * job lease expires), while a run whose job is gone altogether (cancelled or failed while its
 * node was down) no longer keeps the workspace from syncing: it is ended as failed, saying so,
 * and a new run starts. On SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { insertRun } from './run-store.ts';
import { type SyncPartners, startSyncPartners, syncNow } from './test-sync.ts';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`an interrupted sync run (${database})`, () => {
    let p: SyncPartners;
    before(async () => {
      p = await startSyncPartners({ database });
    });
    after(() => p?.close());

    const run = (id: string, ageMs: number) =>
      insertRun(p.guest.kernel.db.kysely, {
        id,
        collaboration_id: p.collaborationId,
        workspace_id: p.workspaceId,
        exec_type: 'manual',
        status: 'in_progress',
        start_time: Date.now() - ageMs,
        end_time: null,
        summary: '{}',
        history: '{"moved":[],"errors":[],"overwritten":[]}',
        created: Date.now() - ageMs,
      });
    const status = async (syncId: string) =>
      (
        await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
          token: p.guestToken,
          syncId,
        })
      ).status[0];

    test('a recent run in progress is joined, not doubled', async () => {
      await run('a'.repeat(32), 1_000);
      const r = await p.guest.call(p.path(`workspaces/${p.workspaceId}/sync`), {
        token: p.guestToken,
        async: true,
      });
      assert.equal(r.key, 'a'.repeat(32), JSON.stringify(r));
      await p.guest.kernel.db.kysely
        .updateTable('collaboration_sync_runs')
        .set({ status: 'failed', end_time: Date.now() })
        .where('id', '=', 'a'.repeat(32))
        .execute();
    });

    test('a run whose job is gone is ended as failed, and the next sync runs', async () => {
      const stale = 'b'.repeat(32);
      await run(stale, 10 * 60_000);
      const next = await syncNow(p);
      assert.notEqual(next.syncId, stale);
      assert.equal(next.status, 'completed', JSON.stringify(next));
      const old = await status(stale);
      assert.equal(old.status, 'failed');
      assert.match(old.history.errors[0].message, /its job ended without finishing it/);
    });
  });
}
