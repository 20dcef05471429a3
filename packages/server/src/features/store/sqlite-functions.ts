/**
 * What the SQLite store adds to SQL: the exact geometry test (a JS function looked up by a
 * per-query token), sample variance and standard deviation (Welford, as PostgreSQL's
 * var_samp / stddev_samp answer), and reading a statement's rows as arrays.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

type Test = (blob: Uint8Array | null, x: number | null, y: number | null) => boolean;

interface Welford {
  n: number;
  mean: number;
  m2: number;
}

function step(acc: Welford, v: unknown): Welford {
  if (typeof v !== 'number') return acc;
  acc.n++;
  const d = v - acc.mean;
  acc.mean += d / acc.n;
  acc.m2 += d * (v - acc.mean);
  return acc;
}

export function registerSqliteFunctions(db: DatabaseSync, tests: Map<number, Test>): void {
  db.function('meridian_intersects', { deterministic: false }, (blob, x, y, token) => {
    const test = tests.get(token as number);
    if (!test) throw new Error('meridian_intersects: no geometry registered for this query');
    return test(blob as Uint8Array | null, x as number | null, y as number | null) ? 1 : 0;
  });
  for (const [name, finish] of [
    ['meridian_var', (v: number) => v],
    ['meridian_stddev', Math.sqrt],
  ] as const) {
    db.aggregate(name, {
      start: () => ({ n: 0, mean: 0, m2: 0 }),
      step: (acc: unknown, v: unknown) => step(acc as Welford, v),
      result: (acc: unknown) => {
        const a = acc as Welford;
        return a.n < 2 ? null : finish(a.m2 / (a.n - 1));
      },
    } as never);
  }
}

export function readRows(stmt: StatementSync, params: unknown[]): unknown[][] {
  return stmt.all(...(params as never[])) as unknown as unknown[][];
}
