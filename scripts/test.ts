// Runs the whole test suite with Node's test runner: unit and integration tests next to the
// code (packages/**/*.test.ts), browser and multi-process tests in e2e/.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const patterns = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'e2e/**/*.test.ts'];
const files = patterns.flatMap((p) =>
  p.includes('*') ? globSync(p, { exclude: (f) => f.includes('node_modules') }) : [p],
);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-timeout=300000',
    '--disable-warning=ExperimentalWarning',
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
