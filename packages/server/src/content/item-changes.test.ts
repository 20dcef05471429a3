/**
 * The item change log of watched groups, through the real routes on both databases: the
 * group's existing items logged when it becomes watched, then shares, updates, unshares,
 * deletions and a group's deletion in order; unwatched groups log nothing. Compaction keeps what
 * readers end with, and drops the entries of groups nobody watches any more past their retention.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { UNWATCHED_KEEP_MS } from './item-changes.ts';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`item change log (${database})`, () => {
    let portal: TestPortal;
    let token: string;
    const call = (path: string, fields: Record<string, string> = {}) =>
      portal.call(`/sharing/rest/${path}`, { token, ...fields });
    const addItem = async (title: string) =>
      (await call('content/users/admin/addItem', { title, type: 'Web Map', text: '{"a":1}' })).id as string;
    const group = async (title: string) =>
      (await call('community/createGroup', { title, access: 'org' })).group.id as string;
    const log = async (groupId: string, after = 0) =>
      (await portal.modules.content.changes.since(groupId, after, 100)).map((c) => [c.itemId, c.kind]);

    before(async () => {
      portal = await startTestPortal({ database });
      token = await portal.token();
    });
    after(() => portal?.close());

    test('a watched group logs its items and what happens to them, in order', async () => {
      const g = await group('Watched');
      const other = await group('Unwatched');
      const a = await addItem('A');
      const b = await addItem('B');
      await call(`content/items/${a}/share`, { groups: `${g},${other}` });
      assert.deepEqual(await log(g), [], 'nothing is logged before the group is watched');
      const changes = portal.modules.content.changes;
      let heard = 0;
      const off = changes.onChange(() => heard++);
      await changes.watch(g, 'test:1');
      await changes.watch(g, 'test:1');
      await changes.watch(g, 'test:2');
      assert.deepEqual(await log(g), [[a, 'shared']], 'the existing item, once');
      const cursor = await changes.last(g);
      await call(`content/items/${b}/share`, { groups: g });
      await call(`content/users/admin/items/${a}/update`, { title: 'A2' });
      await call(`content/items/${a}/unshare`, { groups: g });
      await call(`content/items/${a}/share`, { groups: g });
      await call(`content/users/admin/items/${a}/delete`);
      assert.deepEqual(await log(g, cursor), [
        [b, 'shared'],
        [a, 'updated'],
        [a, 'unshared'],
        [a, 'shared'],
        [a, 'deleted'],
      ]);
      assert.deepEqual(await log(other), [], 'an unwatched group logs nothing');
      assert.ok(heard >= 4, `committed changes are announced (${heard})`);
      off();
      const before = await changes.last(g);
      await call(`community/groups/${g}/delete`);
      assert.deepEqual(await log(g, before), [[b, 'unshared']], "a group's deletion unshares its items");
      await changes.unwatch(g, 'test:1');
      await changes.unwatch(g, 'test:2');
    });

    test("compaction keeps each item's last entry per group: read from any cursor, the same items end in the same state", async () => {
      const changes = portal.modules.content.changes;
      const g = await group('Compacted');
      const h = await group('Also watched');
      const [a, b, c] = [await addItem('A'), await addItem('B'), await addItem('C')];
      await call(`content/items/${a}/share`, { groups: `${g},${h}` });
      await changes.watch(g, 'test:c');
      await changes.watch(h, 'test:c');
      await call(`content/items/${b}/share`, { groups: g });
      await call(`content/users/admin/items/${a}/update`, { title: 'A2' });
      await call(`content/items/${c}/share`, { groups: `${g},${h}` });
      await call(`content/items/${b}/unshare`, { groups: g });
      await call(`content/users/admin/items/${a}/update`, { title: 'A3' });
      await call(`content/items/${b}/share`, { groups: g });
      await call(`content/users/admin/items/${c}/delete`);
      /** What a reader from `after` ends with: each item's last kind. */
      const folded = async (groupId: string, after: number) =>
        Object.fromEntries((await changes.since(groupId, after, 1000)).map((e) => [e.itemId, e.kind]));
      const cursors = async (groupId: string) => [
        0,
        ...(await changes.since(groupId, 0, 1000)).map((e) => e.seq),
      ];
      const before = new Map<string, Record<string, string>>();
      for (const groupId of [g, h])
        for (const at of await cursors(groupId)) before.set(`${groupId}@${at}`, await folded(groupId, at));
      const lengthBefore = (await changes.since(g, 0, 1000)).length;
      const removed = await changes.compact({ batch: 2 }); // a few entries per statement
      assert.ok(removed >= 4, `superseded entries removed: ${removed}`);
      assert.deepEqual(
        await log(g),
        [
          [a, 'updated'],
          [b, 'shared'],
          [c, 'deleted'],
        ],
        'one entry per item, its last',
      );
      assert.deepEqual(await log(h), [
        [a, 'updated'],
        [c, 'deleted'],
      ]);
      assert.ok((await changes.since(g, 0, 1000)).length < lengthBefore);
      for (const [key, expected] of before) {
        const [groupId, at] = key.split('@') as [string, string];
        assert.deepEqual(await folded(groupId, Number(at)), expected, `read from ${key}`);
      }
      assert.equal(await changes.compact(), 0, 'nothing more to remove');
    });

    test('compaction drops the entries of groups nobody watches once they are past the retention, and only those', async () => {
      const changes = portal.modules.content.changes;
      const kept = await group('Still linked');
      const dropped = await group('Unlinked');
      const [a, b] = [await addItem('U-A'), await addItem('U-B')];
      await call(`content/items/${a}/share`, { groups: `${kept},${dropped}` });
      await changes.watch(kept, 'test:u');
      await changes.watch(dropped, 'test:u');
      await changes.watch(dropped, 'test:u2');
      await sleep(20);
      const between = Date.now();
      await sleep(20);
      await call(`content/items/${b}/share`, { groups: `${kept},${dropped}` });
      await changes.unwatch(dropped, 'test:u');
      const whole = [
        [a, 'shared'],
        [b, 'shared'],
      ];
      await changes.compact({ now: Date.now() + UNWATCHED_KEEP_MS });
      assert.deepEqual(await log(dropped), whole, 'a group someone still watches keeps its log');
      await changes.unwatch(dropped, 'test:u2');
      await changes.compact({ now: Date.now() });
      assert.deepEqual(await log(dropped), whole, 'unwatched, its entries stay for the retention period');
      // Past the retention for the first entry only: it goes, the later one stays (one entry per statement).
      assert.ok((await changes.compact({ now: between + UNWATCHED_KEEP_MS, batch: 1 })) >= 1);
      assert.deepEqual(await log(dropped), [[b, 'shared']]);
      assert.deepEqual(await log(kept), whole, 'a watched group keeps its entries however old');
      await changes.compact({ now: Date.now() + UNWATCHED_KEEP_MS + 1, batch: 1 });
      assert.deepEqual(await log(dropped), [], 'then the rest');
      assert.deepEqual(await log(kept), whole);
      // Watched again, the group logs its items afresh: a reader from 0 sees the whole group.
      await changes.watch(dropped, 'test:u');
      assert.deepEqual(await log(dropped), whole);
      await changes.unwatch(kept, 'test:u');
      await changes.unwatch(dropped, 'test:u');
    });
  });
}
