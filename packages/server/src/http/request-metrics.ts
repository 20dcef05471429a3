import type { FastifyInstance } from 'fastify';
import type { Counter, Histogram } from 'prom-client';
import type { Metrics } from '../kernel/metrics/metrics.ts';

/** Seconds; most answers take a few milliseconds, uploads and searches longer. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Counts and times every answer by method, route and status, in one onResponse hook. The
 * route is the pattern the request matched (/sharing/rest/content/items/:id), never its URL,
 * whose ids and query strings (tokens) would make the series unbounded and leak secrets;
 * a request no route matched is `unmatched`. Registered only when metrics are on.
 */
export function measureRequests(app: FastifyInstance, metrics: Metrics): void {
  const requests: Counter<'method' | 'route' | 'status'> = metrics.counter(
    'meridian_http_requests_total',
    'HTTP requests answered, by method, route pattern and status.',
    ['method', 'route', 'status'],
  );
  const durations: Histogram<'method' | 'route'> = metrics.histogram(
    'meridian_http_request_duration_seconds',
    'Time from receiving a request to finishing its answer, by method and route pattern.',
    ['method', 'route'],
    BUCKETS,
  );
  // prom-client hashes the labels of every call: the children are looked up once per series.
  const counters = new Map<string, Counter.Internal>();
  const timers = new Map<string, Histogram.Internal<'method' | 'route'>>();
  app.addHook('onResponse', (req, reply, done) => {
    const method = req.method;
    const route = req.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const key = `${method} ${route}`;
    let timer = timers.get(key);
    if (!timer) {
      timer = durations.labels(method, route);
      timers.set(key, timer);
    }
    timer.observe(reply.elapsedTime / 1000);
    const ckey = `${key} ${status}`;
    let counter = counters.get(ckey);
    if (!counter) {
      counter = requests.labels(method, route, String(status));
      counters.set(ckey, counter);
    }
    counter.inc();
    done();
  });
}
