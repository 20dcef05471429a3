import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchOptions } from './options.ts';

describe('bench options', () => {
  it('runs full by default: the full figures', () => {
    const o = benchOptions([], {});
    assert.equal(o.smoke, false);
    assert.equal(o.seconds(10), 10);
    assert.equal(o.items(100_000, 3000), 100_000);
  });

  it('--smoke, MERIDIAN_BENCH_SMOKE=1 or CI=true shrink data and time', () => {
    for (const o of [
      benchOptions(['--smoke'], {}),
      benchOptions([], { MERIDIAN_BENCH_SMOKE: '1' }),
      benchOptions([], { CI: 'true' }),
    ]) {
      assert.equal(o.smoke, true);
      assert.equal(o.seconds(10), 1);
      assert.equal(o.items(100_000, 3000), 3000);
    }
  });

  it('MERIDIAN_BENCH_SMOKE=0 runs full on CI; BENCH_SECONDS and BENCH_ITEMS override', () => {
    assert.equal(benchOptions([], { CI: 'true', MERIDIAN_BENCH_SMOKE: '0' }).smoke, false);
    const o = benchOptions(['--smoke'], { BENCH_SECONDS: '3', BENCH_ITEMS: '500' });
    assert.equal(o.seconds(10), 3);
    assert.equal(o.items(100_000, 3000), 500);
  });

  it('refuses a count that is not a positive whole number, naming the variable', () => {
    assert.throws(
      () => benchOptions([], { BENCH_ITEMS: '1e5x' }),
      /BENCH_ITEMS must be a positive whole number/,
    );
    assert.throws(() => benchOptions([], { BENCH_SECONDS: '0' }), /BENCH_SECONDS/);
  });
});
