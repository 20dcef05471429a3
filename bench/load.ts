import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p99: number;
  p50: number;
  errors: number;
  non2xx: number;
}

/** Drives keep-alive HTTPS load at a URL (or a rotating list of paths) for `seconds`. */
export async function load(opts: {
  url: string;
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
    ...(opts.paths ? { requests: opts.paths.map((path) => ({ method: 'GET' as const, path })) } : {}),
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function printTable(rows: { name: string; r: LoadResult }[]): void {
  console.log(
    `${'case'.padEnd(44)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(7)}`,
  );
  for (const { name, r } of rows) {
    console.log(
      `${name.padEnd(44)} ${r.rps.toFixed(0).padStart(9)} ${r.p50.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${String(r.errors + r.non2xx).padStart(7)}`,
    );
  }
}
