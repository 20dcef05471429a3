/**
 * What travels between two portal processes (`meridian start`, each with its own data directory
 * and CA) in a collaboration, both ways, through the real routes only:
 * - host → guest and guest → host, as copies (files chunked and inline, a web map's text) and,
 *   once the sender's link says shareItemsAs=reference, as references to the source; each
 *   arrives once, marked with its origin (collaboration, origin portal, origin item), a copy with
 *   its data's SHA-256; a second sync moves nothing and duplicates nothing, and nothing comes back;
 * - an unshare or a deletion at the source: a received reference is removed, a received copy is
 *   kept, marked no longer synced, with its data (unsharedCopies=keep, the default), or removed
 *   once the receiver's link says unsharedCopies=delete;
 * - the guest sets deleteContributedItems and leaves: the host deletes everything it received
 *   from the guest; the guest keeps the copies it received, marked no longer synced.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type Json, type Side, sha256, startTwoPortals, type TwoPortals } from './collab/two-portals.ts';

type As = 'copy' | 'reference';
interface Made {
  side: Side;
  id: string;
  /** SHA-256 of the data the source serves. */
  sha: string;
  as: As;
  /** Unshared from its group or deleted since (its own group no longer holds it). */
  status?: 'unshared' | 'gone';
}

const receiverOf = (side: Side): Side => (side === 'host' ? 'guest' : 'host');
const mark = (item: Json, prefix: string) =>
  (item.typeKeywords as string[]).find((k) => k.startsWith(prefix))?.slice(prefix.length);
const webMap = (title: string) => JSON.stringify({ operationalLayers: [], baseMap: { title } });

describe('collaboration content between two portal processes', () => {
  let s: TwoPortals;
  const made: Record<string, Made> = {};

  before(async () => {
    s = await startTwoPortals('collab-content');
  });
  after(() => s?.close());

  /** Adds an item on `side` (a file of `size` bytes, or a web map when size is 0) and shares it. */
  const add = async (side: Side, title: string, size: number, as: As) => {
    let id: string;
    if (size) {
      const bytes = randomBytes(size);
      id = await s.addItem(side, { title, type: 'PDF' }, { name: `${title}.pdf`, data: bytes });
      made[title] = { side, id, sha: sha256(bytes), as };
    } else {
      const text = webMap(title);
      id = await s.addItem(side, { title, type: 'Web Map', text });
      made[title] = { side, id, sha: sha256(text), as };
    }
    assert.equal(await s.dataSha(side, id), made[title]!.sha, `${title}: the source serves its data`);
    await s.share(side, id);
  };
  /** The items titled `title` in the side's linked group. */
  const titled = async (side: Side, title: string) =>
    (await s.groupItems(side)).filter((i) => i.title === title);
  /** The one item titled `title` on the receiving side, checked against its source. */
  const arrived = async (title: string, state: 'synced' | 'unsynced' = 'synced') => {
    const src = made[title]!;
    const to = receiverOf(src.side);
    const found = await titled(to, title);
    assert.equal(found.length, 1, `${title}: once on the ${to}, not ${found.length} times`);
    const item = found[0]!;
    assert.notEqual(item.id, src.id);
    assert.ok(item.typeKeywords.includes('collaborationItem'), `${title}: ${item.typeKeywords}`);
    assert.equal(mark(item, 'collaborationId:'), s.ids.collaboration, title);
    assert.equal(mark(item, 'originPortalId:'), s.ids[src.side], `${title}: its origin portal`);
    assert.equal(mark(item, 'originItemId:'), src.id, `${title}: its origin item`);
    assert.equal(
      item.typeKeywords.includes('collaborationUnsynced'),
      state === 'unsynced',
      `${title} ${state}: ${item.typeKeywords}`,
    );
    if (src.as === 'reference')
      assert.equal(item.url, `${s[src.side].base}/sharing/rest/content/items/${src.id}`, title);
    else assert.equal(await s.dataSha(to, item.id), src.sha, `${title}: the copy's data is the source's`);
    return item;
  };
  const gone = async (title: string) => {
    const to = receiverOf(made[title]!.side);
    assert.deepEqual(await titled(to, title), [], `${title} is no longer on the ${to}`);
  };
  /** Each source item is on its own side once, unmarked: nothing came back. */
  const sourcesUnmarked = async () => {
    for (const [title, src] of Object.entries(made)) {
      const own = await titled(src.side, title);
      assert.deepEqual(
        own.map((i) => i.id),
        src.status ? [] : [src.id],
        `${title} on the ${src.side}`,
      );
      for (const i of own) assert.ok(!i.typeKeywords.includes('collaborationItem'), title);
    }
  };
  /** What a run moved: [direction, op, as, title] sorted (a removal is named by its origin item). */
  const moved = (run: Json) => {
    const titleOf = (m: Json) =>
      m.title ?? Object.entries(made).find(([, v]) => v.id === m.originItemId)?.[0] ?? m.originItemId;
    return (run.history.moved as Json[]).map((m) => [m.direction, m.op, m.as, titleOf(m)].join(' ')).sort();
  };
  const sync = async () => {
    const run = await s.syncNow();
    assert.equal(run.status, 'completed', JSON.stringify(run));
    return run;
  };
  /** A second sync moves nothing; both groups hold the same items as before. */
  const quiet = async () => {
    const before = { host: await s.groupItems('host'), guest: await s.groupItems('guest') };
    const run = await sync();
    assert.deepEqual(
      [run.summary.received, run.summary.sent, run.summary.bytes, moved(run)],
      [0, 0, 0, []],
      JSON.stringify(run.summary),
    );
    for (const side of ['host', 'guest'] as const)
      assert.deepEqual(
        (await s.groupItems(side)).map((i) => [i.id, i.title]),
        before[side].map((i) => [i.id, i.title]),
        `nothing duplicated on the ${side}`,
      );
  };

  for (const from of ['host', 'guest'] as const) {
    const name = from === 'host' ? 'Host' : 'Guest';
    const dir = from === 'host' ? 'received' : 'sent';
    test(`${from} → ${receiverOf(from)}: copies, then references once its link says shareItemsAs=reference; marked with their origin, once`, async () => {
      const link = await s.updateLink(from, { shareItemsAs: 'copy' });
      assert.equal(link.portalGroupLink.shareItemsAs, 'copy', JSON.stringify(link));
      await add(from, `${name} survey`, 1_300_000, 'copy'); // three chunks
      await add(from, `${name} map`, 0, 'copy');
      await add(from, `${name} notes`, 20_000, 'copy'); // inline in the feed's answer
      await add(from, `${name} sketch`, 0, 'copy');
      const copies = await sync();
      assert.equal(copies.summary[dir], 4, JSON.stringify(copies.summary));
      assert.deepEqual(
        moved(copies),
        ['map', 'notes', 'sketch', 'survey'].map((t) => `${dir} created copy ${name} ${t}`),
      );
      for (const t of ['survey', 'map', 'notes', 'sketch']) await arrived(`${name} ${t}`);

      const byRef = await s.updateLink(from, { shareItemsAs: 'reference' });
      assert.equal(byRef.portalGroupLink.shareItemsAs, 'reference');
      await add(from, `${name} ref survey`, 200_000, 'reference');
      await add(from, `${name} ref map`, 0, 'reference');
      const refs = await sync();
      assert.deepEqual(
        moved(refs),
        ['map', 'survey'].map((t) => `${dir} created reference ${name} ref ${t}`),
        'only the new items, as references; the copies made before stay copies',
      );
      assert.equal(refs.summary.bytes, 0, 'a reference moves no data');
      for (const t of ['ref survey', 'ref map']) await arrived(`${name} ${t}`);
      for (const t of ['survey', 'map', 'notes', 'sketch']) await arrived(`${name} ${t}`);
      await sourcesUnmarked();
      await quiet();
    });
  }

  test('unshared at the source (both ways): a received reference is removed, a received copy is kept with its data, marked no longer synced', async () => {
    for (const side of ['host', 'guest'] as const) {
      const name = side === 'host' ? 'Host' : 'Guest';
      await s.unshare(side, made[`${name} survey`]!.id);
      await s.unshare(side, made[`${name} ref survey`]!.id);
      made[`${name} survey`]!.status = 'unshared';
      made[`${name} ref survey`]!.status = 'unshared';
    }
    const run = await sync();
    assert.deepEqual(moved(run), [
      'received deleted reference Host ref survey',
      'received unsynced copy Host survey',
      'sent deleted reference Guest ref survey',
      'sent unsynced copy Guest survey',
    ]);
    for (const name of ['Host', 'Guest']) {
      await gone(`${name} ref survey`);
      await arrived(`${name} survey`, 'unsynced');
    }
    await quiet();
  });

  test('deleted at the source (both ways): the same — the reference removed, the copy kept, marked', async () => {
    for (const side of ['host', 'guest'] as const) {
      const name = side === 'host' ? 'Host' : 'Guest';
      await s.deleteItem(side, made[`${name} map`]!.id);
      await s.deleteItem(side, made[`${name} ref map`]!.id);
      made[`${name} map`]!.status = 'gone';
      made[`${name} ref map`]!.status = 'gone';
    }
    const run = await sync();
    assert.deepEqual(moved(run), [
      'received deleted reference Host ref map',
      'received unsynced copy Host map',
      'sent deleted reference Guest ref map',
      'sent unsynced copy Guest map',
    ]);
    for (const name of ['Host', 'Guest']) {
      await gone(`${name} ref map`);
      await arrived(`${name} map`, 'unsynced'); // its data is the deleted source's
    }
    await sourcesUnmarked();
    await quiet();
  });

  test("the receiver's link says unsharedCopies=delete: a copy goes when its source is unshared or deleted (both ways)", async () => {
    for (const side of ['host', 'guest'] as const) {
      const link = await s.updateLink(side, { unsharedCopies: 'delete' });
      assert.equal(link.portalGroupLink.unsharedCopies, 'delete');
      const name = side === 'host' ? 'Host' : 'Guest';
      await s.unshare(side, made[`${name} notes`]!.id);
      await s.deleteItem(side, made[`${name} sketch`]!.id);
      made[`${name} notes`]!.status = 'unshared';
      made[`${name} sketch`]!.status = 'gone';
    }
    const run = await sync();
    assert.deepEqual(moved(run), [
      'received deleted copy Host notes',
      'received deleted copy Host sketch',
      'sent deleted copy Guest notes',
      'sent deleted copy Guest sketch',
    ]);
    for (const name of ['Host', 'Guest']) {
      await gone(`${name} notes`);
      await gone(`${name} sketch`);
      // The copies kept before stay as they were.
      await arrived(`${name} survey`, 'unsynced');
      await arrived(`${name} map`, 'unsynced');
    }
    await sourcesUnmarked();
    await quiet();
  });

  test('the guest sets deleteContributedItems and leaves: the host deletes all it received from the guest; the guest keeps its received copies, marked', async () => {
    for (const side of ['host', 'guest'] as const) {
      await s.updateLink(side, { shareItemsAs: 'copy', unsharedCopies: 'keep' });
      await add(side, `${side === 'host' ? 'Host' : 'Guest'} final`, 700_000, 'copy');
    }
    await sync();
    await arrived('Host final');
    await arrived('Guest final');
    const fromGuest = (await s.groupItems('host')).filter((i) => mark(i, 'originPortalId:') === s.ids.guest);
    assert.deepEqual(
      fromGuest.map((i) => i.title),
      ['Guest final', 'Guest map', 'Guest survey'],
      'what the host holds from the guest',
    );

    const policy = await s.collab('guest', 'updateItemDeletePolicy', { deleteContributedItems: true });
    assert.deepEqual(
      [policy.deleteContributedItems, policy.deleteReceivedItems],
      [true, false],
      JSON.stringify(policy),
    );
    const left = await s.collab('guest', 'removeParticipation');
    assert.deepEqual([left.success, left.partnerTold], [true, true], JSON.stringify(left));

    const onHost = await s.groupItems('host');
    assert.deepEqual(
      onHost.filter((i) => i.typeKeywords.includes('collaborationItem')),
      [],
      'the host deleted every item it received from the guest, synced or kept',
    );
    for (const i of fromGuest) {
      const r = await s.get('host', `/sharing/rest/content/items/${i.id}`);
      assert.ok(r.error, `${i.title} (${i.id}) is deleted on the host: ${JSON.stringify(r).slice(0, 200)}`);
    }
    assert.deepEqual(
      onHost.map((i) => i.title),
      ['Host final'],
      "the host's own item in the group stays",
    );
    // The guest keeps what it received (its own policy keeps received items), no longer synced.
    for (const t of ['Host final', 'Host map', 'Host survey']) await arrived(t, 'unsynced');
    assert.deepEqual(
      (await s.groupItems('guest')).map((i) => i.title),
      ['Guest final', 'Host final', 'Host map', 'Host survey'],
      "the guest's own items in the group and what it received",
    );
  });
});
