/**
 * A run killed while applying a batch (an item committed, the cursor not yet moved) leaves
 * that item's checked file (<sha>.ok) in the transfer directory; the rerun skips the item, as
 * it is here already, and must still remove its checked file once the batch is applied.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  addItem,
  groupItems,
  type SyncPartners,
  sha,
  share,
  startSyncPartners,
  syncNow,
} from './test-sync.ts';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`a batch applied again after a kill leaves no checked file (${database})`, () => {
    let p: SyncPartners;
    before(async () => {
      p = await startSyncPartners({ database });
    });
    after(() => p?.close());

    test('the item applied before the kill is skipped and its checked file removed', async () => {
      const bytes = randomBytes(300_000);
      const id = await addItem(
        p.host,
        p.hostToken,
        { title: 'Applied', type: 'PDF' },
        { name: 'a.pdf', bytes },
      );
      await share(p.host, p.hostToken, id, p.hostGroup);
      assert.equal((await syncNow(p)).status, 'completed');
      // What the kill leaves: the checked file, and the cursor where the batch began.
      const partials = join(p.guest.home, 'files', '.collaboration-partials');
      writeFileSync(join(partials, `${sha(bytes)}.ok`), bytes);
      await p.guest.kernel.db.kysely
        .updateTable('collaboration_cursors')
        .set({ seq: 0 })
        .where('workspace_id', '=', p.workspaceId)
        .where('portal_id', '=', p.hostId)
        .execute();
      const run = await syncNow(p);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.deepEqual([run.summary.received, run.summary.skipped, run.summary.bytes], [0, 1, 0]);
      assert.equal((await groupItems(p.guest, p.guestToken, p.guestGroup)).length, 1, 'no duplicate');
      assert.deepEqual(readdirSync(partials), [], 'no checked file is left');
    });
  });
}
