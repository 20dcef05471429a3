import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isMeridianError } from '../../kernel/errors/meridian-error.ts';
import { createGroup } from '../groups/groups.ts';
import { addGroupUsers } from '../groups/members.ts';
import { addItem, updateItem } from '../items.ts';
import { shareItem } from '../sharing.ts';
import { insertTestUser, openTestContentDb, TEST_ORG_ID, type TestContentDb } from '../test-content-db.ts';
import type { Viewer } from '../viewer.ts';
import { type SearchParams, searchIds, searchItems } from './search-items.ts';

/** The search semantics, straight against each database (no HTTP). */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`item search (${dialect})`, () => {
    let t: TestContentDb;
    let alice: Viewer;
    let bob: Viewer;
    let carol: Viewer;
    let admin: Viewer;
    const anon: Viewer = { username: null, isAdmin: false };
    const ids: Record<string, string> = {};
    let groupId = '';

    async function titles(viewer: Viewer, params: SearchParams): Promise<string[]> {
      const r = await searchItems(t.db.kysely, viewer, TEST_ORG_ID, { num: 100, ...params });
      return r.results.map((i) => i.title as string).sort();
    }

    before(async () => {
      t = await openTestContentDb(dialect);
      alice = insertTestUser(t, 'Alice');
      bob = insertTestUser(t, 'bob');
      carol = insertTestUser(t, 'carol');
      admin = insertTestUser(t, 'admin', 'org_admin');
      const add = async (key: string, owner: Viewer, fields: Record<string, string>) => {
        const r = await addItem(t.deps, owner, owner.username!, null, fields as never);
        ids[key] = r.id;
      };
      await add('flood', alice, {
        title: 'Flood Risk <b>2024</b>',
        type: 'Web Map',
        tags: 'flood,hazard',
        snippet: 'river flooding',
        extent: '-10,40,5,52',
      });
      await add('fire', alice, {
        title: 'Wildfire Hazard Zones',
        type: 'Web Mapping Application',
        tags: 'fire',
      });
      await add('mains', alice, { title: 'Water Mains', type: 'Feature Service', tags: 'utility,water' });
      await add('notes', alice, {
        title: 'Private Notes',
        type: 'CSV',
        description: '<p>secret water quality</p>',
      });
      await add('gauges', bob, {
        title: 'River Gauges',
        type: 'Feature Service',
        tags: '["water","river gauge"]',
        extent: '[[100,10],[110,20]]',
      });
      groupId = (
        (await createGroup(t.deps, alice, { title: 'Utilities', access: 'private' })).group as { id: string }
      ).id;
      await addGroupUsers(t.deps, alice, groupId, { users: 'bob' });
      await shareItem(t.deps, alice, ids.flood!, { everyone: true });
      await shareItem(t.deps, alice, ids.fire!, { org: true });
      await shareItem(t.deps, alice, ids.mains!, { groups: groupId });
      await shareItem(t.deps, bob, ids.gauges!, { org: true });
    });
    after(() => t.close());

    test('field:value and field: value; a phrase matches whole words in order', async () => {
      assert.deepEqual(await titles(admin, { q: 'type:"Web Map"' }), ['Flood Risk <b>2024</b>']);
      assert.deepEqual(await titles(admin, { q: 'type: "Web Map"' }), ['Flood Risk <b>2024</b>']);
      assert.deepEqual(await titles(admin, { q: 'type:"Map Web"' }), []);
      assert.deepEqual(await titles(admin, { q: '"water quality"' }), ['Private Notes']);
      assert.deepEqual(await titles(admin, { q: '"quality water"' }), []);
      assert.deepEqual(await titles(admin, { q: 'tags:"river gauge"' }), ['River Gauges']);
      assert.deepEqual(await titles(admin, { q: 'description:quality' }), ['Private Notes']);
      assert.deepEqual(await titles(admin, { q: 'description:qual*' }), ['Private Notes']);
      assert.deepEqual(
        await titles(admin, { q: 'description:notes' }),
        [],
        'a title word is not a description word',
      );
      assert.deepEqual(await titles(admin, { q: 'title:"risk 2024"' }), ['Flood Risk <b>2024</b>']);
      assert.deepEqual(await titles(admin, { q: 'owner:alice type:csv' }).then((r) => r.length), 4);
    });

    test('free text, AND, OR, NOT, -term, wildcard, parentheses', async () => {
      assert.deepEqual(await titles(admin, { q: 'water' }), ['Private Notes', 'River Gauges', 'Water Mains']);
      assert.deepEqual(await titles(admin, { q: 'water AND type:"Feature Service"' }), [
        'River Gauges',
        'Water Mains',
      ]);
      assert.deepEqual(await titles(admin, { q: 'water -river' }), ['Private Notes', 'Water Mains']);
      assert.deepEqual(await titles(admin, { q: 'water AND NOT river' }), ['Private Notes', 'Water Mains']);
      assert.deepEqual(await titles(admin, { q: 'flood OR wildfire' }), [
        'Flood Risk <b>2024</b>',
        'Wildfire Hazard Zones',
      ]);
      assert.deepEqual(await titles(admin, { q: '(flood OR wildfire) AND access:public' }), [
        'Flood Risk <b>2024</b>',
      ]);
      assert.deepEqual(await titles(admin, { q: 'wild*' }), ['Wildfire Hazard Zones']);
      assert.deepEqual(await titles(admin, { q: 'owner:ALICE AND tags:(utility OR fire)' }), [
        'Water Mains',
        'Wildfire Hazard Zones',
      ]);
    });

    test('the access filter: owner, public, org, group members, anonymous, administrator', async () => {
      assert.deepEqual(await titles(anon, { q: '*' }), ['Flood Risk <b>2024</b>']);
      assert.deepEqual(await titles(carol, { q: '*' }), [
        'Flood Risk <b>2024</b>',
        'River Gauges',
        'Wildfire Hazard Zones',
      ]);
      assert.deepEqual(await titles(bob, { q: 'water' }), ['River Gauges', 'Water Mains']);
      assert.deepEqual(await titles(carol, { q: 'water' }), ['River Gauges']);
      assert.deepEqual(await titles(alice, { q: 'water' }), ['Private Notes', 'River Gauges', 'Water Mains']);
      assert.equal((await titles(admin, { q: '*' })).length, 5);
    });

    test('`id: X AND group: Y` (arcgis-rest-js shareItemWithGroup) respects access', async () => {
      const q = `id: ${ids.mains} AND group: ${groupId}`;
      assert.deepEqual(await titles(bob, { q }), ['Water Mains']);
      assert.deepEqual(await titles(carol, { q }), []);
      assert.deepEqual(await titles(bob, { q: `id: ${ids.gauges} AND group: ${groupId}` }), []);
    });

    test('bbox, created ranges, orgid', async () => {
      assert.deepEqual(await titles(admin, { bbox: '-20,30,10,60' }), ['Flood Risk <b>2024</b>']);
      assert.deepEqual(await titles(admin, { q: 'water', bbox: '-20,30,10,60' }), []);
      assert.deepEqual(await titles(admin, { bbox: '105,15,120,30' }), ['River Gauges']);
      assert.equal((await titles(admin, { q: `created:[0000001 TO ${Date.now() + 1000}]` })).length, 5);
      assert.equal((await titles(admin, { q: `created:[${Date.now() + 1000} TO *]` })).length, 0);
      assert.equal((await titles(carol, { q: `orgid:${TEST_ORG_ID}` })).length, 3);
      assert.equal((await titles(carol, { q: 'orgid:other' })).length, 0);
    });

    test('sorting and paging: start, num, total, nextStart', async () => {
      const page1 = await searchItems(t.db.kysely, admin, TEST_ORG_ID, {
        q: '*',
        sortField: 'title',
        sortOrder: 'asc',
        num: 2,
      });
      assert.equal(page1.total, 5);
      assert.equal(page1.start, 1);
      assert.equal(page1.num, 2);
      assert.equal(page1.nextStart, 3);
      assert.deepEqual(
        page1.results.map((r) => r.title),
        ['Flood Risk <b>2024</b>', 'Private Notes'],
      );
      const page3 = await searchItems(t.db.kysely, admin, TEST_ORG_ID, {
        q: '*',
        sortField: 'title',
        sortOrder: 'desc',
        start: 5,
        num: 2,
      });
      assert.deepEqual(
        page3.results.map((r) => r.title),
        ['Flood Risk <b>2024</b>'],
      );
      assert.equal(page3.nextStart, -1);
      const byCreated = await searchItems(t.db.kysely, admin, TEST_ORG_ID, {
        sortField: 'created',
        sortOrder: 'asc',
      });
      const created = byCreated.results.map((r) => r.created as number);
      assert.deepEqual(
        created,
        [...created].sort((a, b) => a - b),
      );
    });

    test('the index follows updates and markup is returned as given', async () => {
      await updateItem(t.deps, alice, ids.notes!, {
        title: 'Reservoir <i>levels</i>',
        description: 'nothing here',
      });
      assert.deepEqual(await titles(admin, { q: 'reservoir' }), ['Reservoir <i>levels</i>']);
      assert.deepEqual(await titles(admin, { q: '"water quality"' }), []);
      assert.deepEqual(await titles(admin, { q: 'title:levels' }), ['Reservoir <i>levels</i>']);
    });

    test('the term index path and the general path agree', async () => {
      for (const viewer of [anon, alice, bob, carol, admin]) {
        for (const q of [
          'water',
          'type:"Web Map"',
          'owner:alice',
          'tags:water AND type:"feature service"',
          'wild*',
          'hazard',
          'flood OR wildfire',
          'water -river',
          `group:${groupId}`,
          'description:quality OR "river flooding"',
        ]) {
          for (const sortField of ['modified', 'title', 'created']) {
            const params = { q, num: 100, sortField };
            const fast = await searchIds(t.db.kysely, viewer, TEST_ORG_ID, params);
            const general = await searchIds(t.db.kysely, viewer, TEST_ORG_ID, params, { path: 'general' });
            assert.equal(fast.path, 'terms', q);
            assert.equal(general.path, 'general', q);
            const who = `${q} by ${sortField} as ${viewer.username}`;
            assert.equal(fast.total, general.total, who);
            assert.deepEqual(fast.ids, general.ids, who);
            // The page read in sort order and the sorted matches agree too, page by page.
            for (const page of ['walk', 'sort'] as const) {
              const first = await searchIds(
                t.db.kysely,
                viewer,
                TEST_ORG_ID,
                { ...params, num: 2 },
                { page },
              );
              const second = await searchIds(
                t.db.kysely,
                viewer,
                TEST_ORG_ID,
                { ...params, num: 2, start: 3 },
                { page },
              );
              assert.deepEqual([...first.ids, ...second.ids], fast.ids.slice(0, 4), `${who}, ${page}`);
            }
          }
        }
      }
    });

    test('malformed queries and parameters are a 400 naming the problem; injection changes nothing', async () => {
      const refused = async (params: SearchParams, message: RegExp) => {
        await assert.rejects(
          searchItems(t.db.kysely, admin, TEST_ORG_ID, params),
          (err: unknown) => isMeridianError(err) && err.status === 400 && message.test(err.message),
        );
      };
      await refused({ q: 'colour:red' }, /unknown field 'colour:'/);
      await refused({ q: 'access:everyone' }, /access: takes private, shared, org or public/);
      await refused({ q: "' OR '1'='1" }, /no letters or digits/);
      await refused({ q: '"; DROP TABLE items; --' }, /quotation mark/);
      await refused({ q: 'title:(a OR b' }, /unbalanced parentheses/);
      await refused({ q: 'x'.repeat(5000) }, /limit is 2048/);
      await refused({ bbox: '1,2,3' }, /Invalid bbox/);
      await refused({ q: '*', sortField: 'title; DROP TABLE items' }, /Invalid sortField/);
      await refused({ q: '*', start: 0 }, /Invalid start/);
      await refused({ q: '*', num: 101 }, /Invalid num/);
      const hostile = await searchItems(t.db.kysely, admin, TEST_ORG_ID, {
        q: 'title:x;DROP TABLE items;--x',
      });
      assert.equal(hostile.total, 0);
      assert.equal((await titles(admin, { q: '*' })).length, 5);
    });
  });
}
