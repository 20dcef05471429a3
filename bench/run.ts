/**
 * npm run bench -- NAME|all [--smoke] [ARGS…]
 *
 * Runs benchmarks; each prints the peer and Meridian side by side with the ratio. `--smoke`
 * (or MERIDIAN_BENCH_SMOKE=1, or CI=true) runs every case on tiny data for one second and
 * checks the answers, asserting no figure: CI runs `npm run bench -- all --smoke`. A case that
 * errors or answers wrongly ends the run with a non-zero exit and the case named.
 */
import { BenchCaseFailed } from './case-failed.ts';
import { type BenchOptions, benchOptions } from './options.ts';

type Bench = (opts: BenchOptions, args: string[]) => Promise<void>;

const benches: Record<string, () => Promise<Bench>> = {
  http: async () => (await import('./http.ts')).run,
  tls: async () => (await import('./tls.ts')).run,
  'search-shapes': async () => (await import('./search-shapes.ts')).run,
  nodes: async () => (await import('./nodes.ts')).run,
  saml: async () => (await import('./saml.ts')).run,
  features: async () => (await import('./features.ts')).run,
  sync: async () => (await import('./sync.ts')).run,
};

const args = process.argv.slice(2);
const [name, ...rest] = args.filter((a) => a !== '--smoke');
if (!name || (name !== 'all' && !benches[name])) {
  console.error(`usage: npm run bench -- <${[...Object.keys(benches), 'all'].join('|')}> [--smoke]`);
  process.exit(2);
}
const opts = benchOptions(args);
const names = name === 'all' ? Object.keys(benches) : [name];
for (const n of names) {
  console.log(`\n== bench ${n}${opts.smoke ? ' (smoke)' : ''} ==`);
  try {
    await (await benches[n]!())(opts, name === 'all' ? [] : rest);
  } catch (err) {
    if (err instanceof BenchCaseFailed) console.error(`\nbench ${n}: ${err.message}`);
    else console.error(`\nbench ${n} failed:`, err);
    process.exit(1);
  }
}
