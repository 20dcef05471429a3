import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createGroup,
  createItem,
  getItem,
  getItemData,
  removeItem,
  searchItems,
  shareItemWithGroup,
  unshareItemWithGroup,
} from '@esri/arcgis-rest-portal';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../identity/test-users.ts';

/** Groups, membership, sharing and search over real HTTPS, on both databases. */
for (const database of ['sqlite', 'postgres'] as const) {
  describe(`groups, sharing and search over HTTPS (${database})`, () => {
    let portal: TestPortal;
    let owner: string;
    let member: string;
    let outsider: string;
    let admin: string;
    const community = '/sharing/rest/community';
    const content = '/sharing/rest/content';

    const post = (path: string, fields: Record<string, string | number | boolean>, token?: string) =>
      portal.call(path, token ? { ...fields, token } : fields);
    const get = (path: string, fields: Record<string, string | number | boolean>, token?: string) =>
      portal.call(path, token ? { ...fields, token } : fields, { method: 'GET' });
    const search = async (q: string, token?: string, extra: Record<string, string | number> = {}) => {
      const r = await get('/sharing/rest/search', { q, num: 100, ...extra }, token);
      if (r.error) throw new Error(JSON.stringify(r.error));
      return r;
    };
    const titles = async (q: string, token?: string) =>
      (await search(q, token)).results.map((i: { title: string }) => i.title).sort();

    before(async () => {
      portal = await startTestPortal({ database });
      for (const u of ['owner1', 'member1', 'outsider1']) await addUser(portal, u);
      owner = await portal.token('owner1', USER_PASSWORD);
      member = await portal.token('member1', USER_PASSWORD);
      outsider = await portal.token('outsider1', USER_PASSWORD);
      admin = await portal.token();
    });
    after(() => portal.close());

    test('group CRUD and membership; private groups are invisible to non-members', async () => {
      const created = await post(
        `${community}/createGroup`,
        {
          title: 'Field <em>crew</em>',
          tags: 'survey,field',
          access: 'private',
          description: 'Crew of the <b>north</b> sector',
          isInvitationOnly: true,
        },
        owner,
      );
      assert.equal(created.success, true, JSON.stringify(created));
      const g = created.group;
      assert.equal(g.title, 'Field <em>crew</em>');
      assert.equal(g.owner, 'owner1');
      assert.equal(g.isInvitationOnly, true);
      assert.deepEqual(g.tags, ['survey', 'field']);
      assert.equal(g.userMembership.memberType, 'owner');

      const added = await post(
        `${community}/groups/${g.id}/addUsers`,
        { users: 'member1,nosuchuser' },
        owner,
      );
      assert.deepEqual(added, { notAdded: ['nosuchuser'] });
      const users = await get(`${community}/groups/${g.id}/users`, {}, member);
      assert.deepEqual(users, { owner: 'owner1', admins: ['owner1'], users: ['member1'] });

      const hidden = await get(`${community}/groups/${g.id}`, {}, outsider);
      const missing = await get(`${community}/groups/0123456789abcdef0123456789abcdef`, {}, outsider);
      assert.deepEqual(hidden, missing);
      assert.equal(hidden.error.code, 400);
      assert.equal(
        (await get(`${community}/groups/${g.id}`, {}, member)).userMembership.memberType,
        'member',
      );
      assert.equal((await get(`${community}/groups/${g.id}`, {}, admin)).title, 'Field <em>crew</em>');

      const notAllowed = await post(`${community}/groups/${g.id}/update`, { title: 'Taken over' }, member);
      assert.equal(notAllowed.error.code, 403);
      assert.deepEqual(
        await post(`${community}/groups/${g.id}/update`, { snippet: 'Crew', access: 'org' }, owner),
        {
          success: true,
          groupId: g.id,
        },
      );
      assert.equal((await get(`${community}/groups/${g.id}`, {}, outsider)).access, 'org');

      const found = await get(`${community}/groups`, { q: 'crew' }, outsider);
      assert.equal(found.total, 1);
      assert.equal(found.results[0].id, g.id);
      assert.equal((await get(`${community}/groups`, { q: 'crew' })).total, 0, 'org groups are not public');

      const removed = await post(
        `${community}/groups/${g.id}/removeUsers`,
        { users: 'member1,owner1' },
        owner,
      );
      assert.deepEqual(removed, { notRemoved: ['owner1'] });
      assert.equal((await post(`${community}/groups/${g.id}/delete`, {}, member)).error.code, 403);
      assert.deepEqual(await post(`${community}/groups/${g.id}/delete`, {}, owner), {
        success: true,
        groupId: g.id,
      });
      assert.equal((await get(`${community}/groups/${g.id}`, {}, owner)).error.code, 400);
    });

    test('share and unshare: notSharedWith, group members see the item, access follows', async () => {
      const g = (await post(`${community}/createGroup`, { title: 'Team', access: 'private' }, owner)).group;
      await post(`${community}/groups/${g.id}/addUsers`, { users: 'member1' }, owner);
      const foreign = (
        await post(`${community}/createGroup`, { title: 'Not mine', access: 'private' }, outsider)
      ).group;
      const item = await post(
        `${content}/users/owner1/addItem`,
        { title: 'Crew roster', type: 'CSV', text: 'a' },
        owner,
      );

      const shared = await post(
        `${content}/users/owner1/items/${item.id}/share`,
        { groups: `${g.id},${foreign.id},nosuchgroup`, everyone: false, org: false },
        owner,
      );
      assert.deepEqual(shared, { notSharedWith: [foreign.id, 'nosuchgroup'], itemId: item.id });
      assert.equal((await get(`${content}/items/${item.id}`, {}, owner)).access, 'shared');
      assert.equal((await get(`${content}/items/${item.id}`, {}, member)).title, 'Crew roster');
      assert.equal((await get(`${content}/items/${item.id}`, {}, outsider)).error.code, 400);
      assert.deepEqual(await titles(`id: ${item.id} AND group: ${g.id}`, member), ['Crew roster']);
      assert.deepEqual(await titles(`id: ${item.id} AND group: ${g.id}`, outsider), []);

      const byMember = await post(`${content}/items/${item.id}/share`, { everyone: true }, member);
      assert.equal(byMember.error.code, 403, 'a member may see, not share, the item');

      const unshared = await post(
        `${content}/users/owner1/items/${item.id}/unshare`,
        { groups: g.id },
        owner,
      );
      assert.deepEqual(unshared, { notUnsharedFrom: [], itemId: item.id });
      assert.equal((await get(`${content}/items/${item.id}`, {}, owner)).access, 'private');
      assert.equal((await get(`${content}/items/${item.id}`, {}, member)).error.code, 400);

      const second = await post(`${content}/users/owner1/addItem`, { title: 'Second', type: 'CSV' }, owner);
      const batch = await post(
        `${content}/users/owner1/shareItems`,
        { items: `${item.id},${second.id},0123456789abcdef0123456789abcdef`, groups: g.id },
        owner,
      );
      assert.deepEqual(
        batch.results.map((r: { itemId: string; success: boolean; notSharedWith: string[] }) => [
          r.itemId,
          r.success,
        ]),
        [
          [item.id, true],
          [second.id, true],
          ['0123456789abcdef0123456789abcdef', false],
        ],
      );
      assert.deepEqual(await titles(`group:${g.id}`, member), ['Crew roster', 'Second']);
      await post(`${community}/groups/${g.id}/delete`, {}, owner);
      assert.equal((await get(`${content}/items/${second.id}`, {}, owner)).access, 'private');
    });

    test('search over HTTP: syntax, the access filter, paging, and clear 400s', async () => {
      for (const [title, type, tags] of [
        ['Storm drains', 'Feature Service', 'water,utility'],
        ['Storm surge zones', 'Web Map', 'coast,water'],
        ['Street trees', 'Web Mapping Application', 'trees'],
      ]) {
        const r = await post(
          `${content}/users/owner1/addItem`,
          { title: title!, type: type!, tags: tags! },
          owner,
        );
        await post(`${content}/items/${r.id}/share`, { org: true }, owner);
      }
      assert.deepEqual(await titles('storm', outsider), ['Storm drains', 'Storm surge zones']);
      assert.deepEqual(await titles('storm', undefined), [], 'org items are not public');
      assert.deepEqual(await titles('type: "Web Map"', outsider), ['Storm surge zones']);
      assert.deepEqual(await titles('tags:water AND NOT type:"web map"', outsider), ['Storm drains']);
      assert.deepEqual(await titles('(trees OR surge) AND owner:owner1', outsider), [
        'Storm surge zones',
        'Street trees',
      ]);
      const page = await search('owner:owner1 AND access:org', outsider, {
        num: 2,
        sortField: 'title',
        sortOrder: 'asc',
      });
      assert.equal(page.total, 3);
      assert.equal(page.nextStart, 3);
      assert.deepEqual(
        page.results.map((i: { title: string }) => i.title),
        ['Storm drains', 'Storm surge zones'],
      );
      const last = await search('owner:owner1 AND access:org', outsider, {
        start: 3,
        num: 2,
        sortField: 'title',
      });
      assert.equal(last.nextStart, -1);
      assert.equal(last.results.length, 1);

      const bad = async (q: string, message: RegExp) => {
        const r = await get('/sharing/rest/search', { q }, outsider);
        assert.equal(r.error?.code, 400, `${q}: ${JSON.stringify(r)}`);
        assert.match(r.error.message, message);
      };
      await bad('title:"unbalanced', /quotation mark/);
      await bad('(storm OR', /'OR' at position 8 must be followed/);
      await bad("' OR 1=1 --", /no letters or digits/);
      await bad('x'.repeat(3000), /limit is 2048/);
      await bad('nosuchfield:x', /unknown field 'nosuchfield:'/);
      const num = await get('/sharing/rest/search', { q: 'storm', num: 1000 }, outsider);
      assert.equal(num.error.code, 400);
      assert.equal((await titles('storm', outsider)).length, 2, 'nothing changed');
    });

    test('@esri/arcgis-rest-portal works unmodified: createItem, shareItemWithGroup, search, data, unshare, remove', async () => {
      // arcgis-rest-js uses the global fetch: point it at this portal's CA for this process.
      const nativeFetch = globalThis.fetch;
      globalThis.fetch = ((url: string, init: RequestInit) =>
        nativeFetch(url, { ...init, dispatcher: portal.dispatcher } as RequestInit)) as typeof fetch;
      try {
        const authentication = {
          portal: `${portal.url}/sharing/rest`,
          username: 'owner1',
          getToken: async () => owner,
          getUsername: async () => 'owner1',
        } as never;
        const common = { authentication, portal: `${portal.url}/sharing/rest` };
        const group = await createGroup({
          group: { title: 'Client group', access: 'private', tags: ['a', 'b'] },
          ...common,
        });
        assert.equal(group.success, true);
        const created = await createItem({
          item: {
            title: 'Client map',
            type: 'Web Map',
            tags: ['client', 'map'],
            typeKeywords: ['Web Map'],
            extent: [
              [-1, 50],
              [1, 52],
            ],
            properties: { source: 'arcgis-rest-js' },
          },
          text: { operationalLayers: [] },
          ...common,
        } as never);
        assert.equal(created.success, true);
        const item = await getItem(created.id, common);
        assert.deepEqual(item.tags, ['client', 'map']);
        assert.deepEqual(item.extent, [
          [-1, 50],
          [1, 52],
        ]);
        assert.deepEqual(await getItemData(created.id, common), { operationalLayers: [] });
        const shared = await shareItemWithGroup({ id: created.id, groupId: group.group.id, ...common });
        assert.deepEqual(shared.notSharedWith, []);
        const again = await shareItemWithGroup({ id: created.id, groupId: group.group.id, ...common });
        assert.equal(
          (again as { shortcut?: boolean }).shortcut,
          true,
          'the id: X AND group: Y search found it',
        );
        const found = await searchItems({ q: `id: ${created.id} AND group: ${group.group.id}`, ...common });
        assert.equal(found.total, 1);
        const unshared = await unshareItemWithGroup({ id: created.id, groupId: group.group.id, ...common });
        assert.deepEqual(unshared.notUnsharedFrom, []);
        assert.deepEqual(await removeItem({ id: created.id, ...common }), {
          success: true,
          itemId: created.id,
        });
      } finally {
        globalThis.fetch = nativeFetch;
      }
    });

    test('content/items/<id>/groups lists the groups an item is shared with, by the viewer’s part in them', async () => {
      const mk = async (title: string, access: string, token: string) =>
        (await post(`${community}/createGroup`, { title, access, tags: 'x' }, token)).group.id as string;
      const own = await mk('Listed own group', 'org', owner);
      const joined = await mk('Listed joined group', 'org', admin);
      const hiddenGroup = await mk('Listed private group', 'private', admin);
      await post(`${community}/groups/${joined}/addUsers`, { users: 'owner1' }, admin);
      const item = await post(
        `${content}/users/owner1/addItem`,
        { title: 'Listed item', type: 'Web Map', text: '{}' },
        owner,
      );
      await post(`${content}/users/admin/addItem`, { title: 'x', type: 'Web Map', text: '{}' }, admin);
      // The item owner shares to the groups they belong to; an administrator adds the private one.
      await post(`${content}/items/${item.id}/share`, { groups: `${own},${joined}`, org: true }, owner);
      await post(`${content}/items/${item.id}/share`, { groups: hiddenGroup }, admin);
      const titles = (list: { title: string }[]) => list.map((g) => g.title);
      const mine = await get(`${content}/items/${item.id}/groups`, {}, owner);
      assert.deepEqual(titles(mine.admin), ['Listed own group']);
      assert.deepEqual(titles(mine.member), ['Listed joined group']);
      assert.deepEqual(mine.other, [], 'a private group the viewer is not in is not named');
      const theirs = await get(`${content}/items/${item.id}/groups`, {}, admin);
      assert.deepEqual(titles(theirs.admin), ['Listed joined group', 'Listed private group']);
      assert.deepEqual(titles(theirs.other), ['Listed own group']);
      const stranger = await get(`${content}/items/${item.id}/groups`, {}, outsider);
      assert.deepEqual(titles(stranger.other), ['Listed joined group', 'Listed own group']);
      const anonymous = await get(`${content}/items/${item.id}/groups`, {});
      assert.match(anonymous.error.message, /does not exist or is inaccessible/);
    });
  });
}
