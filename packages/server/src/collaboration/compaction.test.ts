/**
 * The host's change log compacted under sync (two real portals, SQLite and PostgreSQL): read
 * from any cursor, the host's feed folds to the same items in the same state before and after
 * compaction; a new guest's initial sync (cursor 0) still gets every item shared with the
 * group; the guest syncing on ends with the host's group.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Json } from './test-partners.ts';
import { addItem, groupItems, type SyncPartners, share, startSyncPartners, syncNow } from './test-sync.ts';

const webMap = JSON.stringify({ operationalLayers: [], baseMap: { baseMapLayers: [] } });

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`collaboration sync over a compacted change log (${database})`, () => {
    let p: SyncPartners;
    before(async () => {
      p = await startSyncPartners({ database });
    });
    after(() => p?.close());

    const host = (path: string, fields: Record<string, string> = {}) =>
      p.host.call(`/sharing/rest/${path}`, { token: p.hostToken, ...fields });
    const add = async (title: string) => {
      const id = await addItem(p.host, p.hostToken, { title, type: 'Web Map', text: webMap });
      await share(p.host, p.hostToken, id, p.hostGroup);
      return id;
    };
    /** The feed from `after`, page by page (3 entries each), folded: what a guest at that cursor ends with. */
    const fold = async (after: number) => {
      const state: Record<string, string> = {};
      let cursor = after;
      for (;;) {
        const page = await p.guest.modules.collaboration.partners.call(
          p.collaborationId,
          p.hostId,
          p.path(`workspaces/${p.workspaceId}/partnerChanges`),
          { after: String(cursor), limit: '3' },
        );
        for (const c of page.changes as Json[])
          state[c.originItemId] = c.op === 'remove' ? 'removed' : `${c.item.title}@${c.item.modified}`;
        cursor = Number(page.last);
        if (!page.more) return { state, last: cursor };
      }
    };

    test('from any cursor, the same state before and after compaction; a new guest still gets every item', async () => {
      const [x, y] = [await add('X'), await add('Y')];
      const gone = await add('Gone');
      await syncNow(p);
      await host(`content/users/admin/items/${x}/update`, { title: 'X2' });
      await host(`content/items/${y}/unshare`, { groups: p.hostGroup });
      await add('Z');
      await host(`content/users/admin/items/${x}/update`, { title: 'X3' });
      await host(`content/items/${y}/share`, { groups: p.hostGroup });
      await host(`content/users/admin/items/${gone}/delete`);
      const log = await p.host.modules.content.changes.since(p.hostGroup, 0, 1000);
      const cursors = [0, ...log.map((e) => e.seq)];
      const beforeCompaction = new Map<number, Json>();
      for (const c of cursors) beforeCompaction.set(c, (await fold(c)).state);

      const removed = await p.host.modules.content.changes.compact();
      assert.ok(removed >= 3, `superseded entries removed: ${removed}`);
      for (const c of cursors)
        assert.deepEqual((await fold(c)).state, beforeCompaction.get(c), `from cursor ${c}`);

      // A new guest (cursor 0) gets every item shared with the group, and only tombstones besides.
      const fresh = (await fold(0)).state;
      const shared = (await groupItems(p.host, p.hostToken, p.hostGroup)).map((i) => i.id as string).sort();
      assert.deepEqual(
        Object.keys(fresh)
          .filter((id) => fresh[id] !== 'removed')
          .sort(),
        shared,
      );
      assert.equal(fresh[gone], 'removed');

      // The guest syncs on from where it was: it ends with the host's group.
      const run = await syncNow(p);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      const titles = async (portal: 'host' | 'guest') =>
        (portal === 'host'
          ? await groupItems(p.host, p.hostToken, p.hostGroup)
          : await groupItems(p.guest, p.guestToken, p.guestGroup)
        ).map((i) => i.title as string);
      assert.deepEqual(await titles('host'), ['X3', 'Y', 'Z']);
      // The copy of the deleted item stays, marked (the link keeps copies whose origin went).
      assert.deepEqual(await titles('guest'), ['Gone', 'X3', 'Y', 'Z']);
    });
  });
}
