/**
 * A benchmark case that errored or answered wrongly. Its figures would measure a shortcut (an
 * error answered fast, a search that matched nothing), so the run stops with the case named.
 */
export class BenchCaseFailed extends Error {
  readonly caseName: string;

  constructor(caseName: string, why: string) {
    super(`benchmark case "${caseName}" failed: ${why}`);
    this.name = 'BenchCaseFailed';
    this.caseName = caseName;
  }
}

/** Throws BenchCaseFailed for `caseName` unless `ok`. */
export function expectCase(ok: boolean, caseName: string, why: () => string): asserts ok {
  if (!ok) throw new BenchCaseFailed(caseName, why());
}
