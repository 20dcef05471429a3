/**
 * How a benchmark runs. Full (the default): realistic data and several seconds per case, for
 * the figures. Smoke (`--smoke`, MERIDIAN_BENCH_SMOKE=1, or CI=true): tiny data and one second
 * per case, so that CI runs every case end to end and checks its answers, asserting no figure.
 * BENCH_ITEMS and BENCH_SECONDS override either mode.
 */
export interface BenchOptions {
  smoke: boolean;
  /** Seconds of load per case: BENCH_SECONDS, else 1 in smoke mode, else `full`. */
  seconds(full: number): number;
  /** Items to seed: BENCH_ITEMS, else `smoke` or `full`. */
  items(full: number, smoke: number): number;
}

function positive(env: Record<string, string | undefined>, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive whole number, not '${raw}'.`);
  return n;
}

export function benchOptions(
  args: readonly string[],
  env: Record<string, string | undefined> = process.env,
): BenchOptions {
  const flag = env.MERIDIAN_BENCH_SMOKE;
  const smoke =
    args.includes('--smoke') || (flag !== undefined && flag !== '' ? flag !== '0' : env.CI === 'true');
  const seconds = positive(env, 'BENCH_SECONDS');
  const items = positive(env, 'BENCH_ITEMS');
  return {
    smoke,
    seconds: (full) => seconds ?? (smoke ? 1 : full),
    items: (full, small) => items ?? (smoke ? small : full),
  };
}
