/**
 * The features bench's load on one server: its answers to a few boxes checked in full first,
 * then 4 connections sending the boxes' queries in turn (the counting client: keep-alive,
 * every request accounted for). Every answer is counted (its features against the box's), and
 * one in SAMPLE is checked in full (bench/features-answers.ts).
 */
import { type Dispatcher, request } from 'undici';
import { expectCase } from './case-failed.ts';
import { type CountResult, describeCounts, startCounting } from './counting-client.ts';
import { type Expected, fullCheck, quickCheck } from './features-answers.ts';
import type { LoadResult } from './load.ts';

/** Connections (one request in flight on each), as the issue measures Koop. */
export const CONNECTIONS = 4;
/** One answer in SAMPLE is parsed and checked in full during the load. */
const SAMPLE = 8;

export interface LoadTarget {
  caseName: string;
  /** scheme://host:port */
  base: string;
  /** The layer's query path, without the query string. */
  queryPath: string;
  dispatcher: Dispatcher;
  /** Query strings of each box, from boxQuery. */
  expected: { query: string; e: Expected }[];
}

/** One query, checked in full; answers its time in ms. */
export async function checkedQuery(t: LoadTarget, i: number): Promise<number> {
  const { query, e } = t.expected[i % t.expected.length]!;
  const start = performance.now();
  const res = await request(`${t.base}${t.queryPath}?${query}`, { dispatcher: t.dispatcher });
  const body = await res.body.text();
  const ms = performance.now() - start;
  const why = res.statusCode === 200 ? fullCheck(body, e) : `HTTP ${res.statusCode}: ${body.slice(0, 300)}`;
  expectCase(why === null, t.caseName, () => `box ${i}: ${why}`);
  return ms;
}

/** Checks `n` boxes' answers in full, one at a time. */
export async function checkAnswers(t: LoadTarget, n: number): Promise<void> {
  for (let i = 0; i < Math.min(n, t.expected.length); i++) await checkedQuery(t, i);
}

/** Load for `seconds`, every answer checked; fails the case on any failed request. */
export async function measureLoad(
  t: LoadTarget,
  seconds: number,
): Promise<LoadResult & { count: CountResult }> {
  const byPath = new Map(t.expected.map((x) => [`${t.queryPath}?${x.query}`, x.e]));
  let answered = 0;
  const load = startCounting({
    base: t.base,
    dispatcher: t.dispatcher,
    paths: [...byPath.keys()],
    concurrency: CONNECTIONS,
    timeoutMs: 60_000,
    verify: (body, path) => {
      const e = byPath.get(path)!;
      if (!quickCheck(body, e)) return false;
      return answered++ % SAMPLE !== 0 || fullCheck(body, e) === null;
    },
  });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const r = await load.stop();
  expectCase(r.ok > 0, t.caseName, () => 'no request succeeded');
  expectCase(r.failedTotal === 0, t.caseName, () => describeCounts(r));
  return {
    rps: r.rps,
    p50: r.p50,
    p99: r.p99,
    requests: r.sent,
    errors: r.failedTotal,
    non2xx: 0,
    mismatches: 0,
    count: r,
  };
}
