import autocannon from 'autocannon';
import { expectCase } from './case-failed.ts';

export interface LoadResult {
  rps: number;
  p99: number;
  p50: number;
  /** Answers counted (2xx and others). */
  requests: number;
  errors: number;
  non2xx: number;
  /** 2xx answers whose body the case's `verify` refused (an error in a 200 body, for one). */
  mismatches: number;
}

/**
 * Drives keep-alive HTTPS load at a URL (or a rotating list of paths) for `seconds`. `verify`
 * sees every answer's body, so that errors answered fast are counted, not measured.
 */
export async function load(opts: {
  url: string;
  verify: (body: string) => boolean;
  headers?: Record<string, string>;
  paths?: string[];
  seconds?: number;
  connections?: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections ?? 16,
    duration: opts.seconds ?? 10,
    headers: opts.headers ?? {},
    // autocannon joins each answer's body into a string.
    verifyBody: (body) => opts.verify(typeof body === 'string' ? body : String(body ?? '')),
    ...(opts.paths ? { requests: opts.paths.map((path) => ({ method: 'GET' as const, path })) } : {}),
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
  };
}

/** Fails the case when it answered nothing, or anything but verified 2xx answers. */
export function expectClean(caseName: string, r: LoadResult): void {
  expectCase(r.requests > 0, caseName, () => 'no request was answered');
  expectCase(
    r.errors === 0 && r.non2xx === 0 && r.mismatches === 0,
    caseName,
    () =>
      `of ${r.requests} answers, ${r.errors} were connection errors or timeouts, ${r.non2xx} not 2xx, ` +
      `${r.mismatches} 2xx with a wrong body`,
  );
}

/** Load on the peer and on Meridian's cases, side by side with each case's ratio to the peer. */
export function printTable(
  peer: { name: string; r: LoadResult },
  rows: { name: string; r: LoadResult }[],
): void {
  const width = Math.max(44, ...[peer, ...rows].map((x) => x.name.length));
  console.log(
    `${'case'.padEnd(width)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'÷ peer'.padStart(7)}`,
  );
  for (const { name, r } of [peer, ...rows]) {
    console.log(
      `${name.padEnd(width)} ${r.rps.toFixed(0).padStart(9)} ${r.p50.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${(r.rps / peer.r.rps).toFixed(2).padStart(7)}`,
    );
  }
}
