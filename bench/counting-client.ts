/**
 * A load client that accounts for every request it sends: a fixed number of workers, each
 * sending one request at a time in a loop (keep-alive HTTPS through undici, verifying the
 * server's certificate with the given dispatcher). Every request ends as exactly one outcome:
 * ok, an HTTP answer that is not (status, with or without an error body), a 200 with a wrong
 * body, or no answer (the connection closed, was refused or reset, or timed out). autocannon is
 * not used for this: it does not count a request whose connection closes under it.
 * Shared by the fault tests (e2e/haproxy-nodes.test.ts) and the nodes benchmark.
 */
import { type Dispatcher, request } from 'undici';

export interface Outcome {
  path: string;
  /** Milliseconds since the load started, when the request was sent and when it ended. */
  sentAt: number;
  doneAt: number;
  /** 'ok', or the kind of failure: 'http 503 (error body)', 'no answer (UND_ERR_SOCKET)', … */
  kind: string;
}

export interface CountResult {
  sent: number;
  ok: number;
  /** Failed requests by kind. */
  failed: Record<string, number>;
  failedTotal: number;
  outcomes: Outcome[];
  seconds: number;
  /** Successful requests per second. */
  rps: number;
  /** Latency of the successful requests, ms. */
  p50: number;
  p99: number;
}

export interface CountingLoad {
  /** Milliseconds since the load started (the clock of every Outcome). */
  now(): number;
  /** The outcomes so far. */
  outcomes(): readonly Outcome[];
  /** Stops sending, waits for the requests in flight and returns the counts. */
  stop(): Promise<CountResult>;
}

export interface CountingOptions {
  /** https://host:port */
  base: string;
  dispatcher: Dispatcher;
  /** Paths sent in turn. */
  paths: string[];
  headers?: Record<string, string>;
  /** Whether a 200 answer's body is the right one. */
  verify: (body: string, path: string) => boolean;
  /** Workers, each with one request in flight at a time (default 8). */
  concurrency?: number;
  /** A request without its answer after this long is a failure (default 10 s). */
  timeoutMs?: number;
}

/** The kind of an HTTP answer that is not a success: its status, and whether it says why. */
function answerKind(status: number, body: string): string {
  let errorBody = false;
  try {
    const json = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    errorBody = typeof json.error?.message === 'string';
  } catch {}
  return `http ${status} (${errorBody ? 'error body' : 'no error body'})`;
}

/** The kind of a request that got no answer, by the error's code. */
function noAnswerKind(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string }; name?: string };
  return `no answer (${e.code ?? e.cause?.code ?? e.name ?? 'error'})`;
}

export function startCounting(opts: CountingOptions): CountingLoad {
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const outcomes: Outcome[] = [];
  const timeout = opts.timeoutMs ?? 10_000;
  let stopping = false;
  let sent = 0;
  let next = 0;
  const worker = async () => {
    while (!stopping) {
      const path = opts.paths[next++ % opts.paths.length]!;
      const sentAt = now();
      sent++;
      let kind: string;
      try {
        const res = await request(`${opts.base}${path}`, {
          dispatcher: opts.dispatcher,
          headers: opts.headers ?? {},
          headersTimeout: timeout,
          bodyTimeout: timeout,
        });
        const body = await res.body.text();
        kind =
          res.statusCode === 200
            ? opts.verify(body, path)
              ? 'ok'
              : 'http 200 (wrong body)'
            : answerKind(res.statusCode, body);
      } catch (err) {
        kind = noAnswerKind(err);
      }
      outcomes.push({ path, sentAt, doneAt: now(), kind });
    }
  };
  const workers = Array.from({ length: opts.concurrency ?? 8 }, worker);
  return {
    now,
    outcomes: () => outcomes,
    async stop() {
      stopping = true;
      await Promise.all(workers);
      const seconds = now() / 1000;
      return summarize(sent, outcomes, seconds);
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summarize(sent: number, outcomes: Outcome[], seconds: number): CountResult {
  const failed: Record<string, number> = {};
  let ok = 0;
  const latencies: number[] = [];
  for (const o of outcomes) {
    if (o.kind === 'ok') {
      ok++;
      latencies.push(o.doneAt - o.sentAt);
    } else failed[o.kind] = (failed[o.kind] ?? 0) + 1;
  }
  if (outcomes.length !== sent)
    throw new Error(`the counting client lost requests: ${sent} sent, ${outcomes.length} ended`);
  latencies.sort((a, b) => a - b);
  return {
    sent,
    ok,
    failed,
    failedTotal: sent - ok,
    outcomes,
    seconds,
    rps: ok / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** One line: sent, ok and failed by kind. */
export function describeCounts(r: CountResult): string {
  const kinds = Object.entries(r.failed)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  return `${r.sent} sent, ${r.ok} ok, ${r.failedTotal} failed${kinds ? `: ${kinds}` : ''}`;
}
