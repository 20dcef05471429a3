import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LoadingCache } from './loading-cache.ts';

function counted(values: Map<string, number>) {
  const loads: string[] = [];
  return {
    loads,
    load: async (key: string) => {
      loads.push(key);
      await new Promise((r) => setImmediate(r));
      const v = values.get(key);
      if (v === undefined) throw new Error(`no ${key}`);
      return v;
    },
  };
}

describe('LoadingCache', () => {
  test('keeps a value for its TTL, then loads it again', async () => {
    let now = 1000;
    const values = new Map([['a', 1]]);
    const src = counted(values);
    const cache = new LoadingCache({ load: src.load, ttlMs: 50, now: () => now });
    assert.equal(await cache.get('a'), 1);
    values.set('a', 2);
    now += 49;
    assert.equal(await cache.get('a'), 1, 'within the TTL');
    now += 1;
    assert.equal(await cache.get('a'), 2, 'at the TTL it is read again');
    assert.deepEqual(src.loads, ['a', 'a']);
  });

  test('concurrent first reads share one load; a failed load is not kept', async () => {
    const values = new Map<string, number>();
    const src = counted(values);
    const cache = new LoadingCache({ load: src.load, ttlMs: 60_000 });
    const results = await Promise.allSettled([cache.get('b'), cache.get('b'), cache.get('b')]);
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.deepEqual(src.loads, ['b']);
    assert.equal(cache.size, 0);
    values.set('b', 7);
    assert.equal(await cache.get('b'), 7);
  });

  test('delete and clear make the next read load again', async () => {
    const values = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    const src = counted(values);
    const cache = new LoadingCache({ load: src.load, ttlMs: 60_000 });
    await cache.get('a');
    await cache.get('b');
    values.set('a', 10);
    values.set('b', 20);
    cache.delete('a');
    assert.equal(await cache.get('a'), 10);
    assert.equal(await cache.get('b'), 2);
    cache.clear();
    assert.equal(await cache.get('b'), 20);
  });

  test('past its size the older half goes', async () => {
    const values = new Map(Array.from({ length: 10 }, (_, i) => [`k${i}`, i] as [string, number]));
    const cache = new LoadingCache({ load: counted(values).load, ttlMs: 60_000, max: 4 });
    for (let i = 0; i < 5; i++) await cache.get(`k${i}`);
    assert.ok(cache.size <= 4, `size ${cache.size}`);
  });
});
