import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { listenError, PortUnavailable } from '../config/errors.ts';
import { MeridianError } from '../errors/meridian-error.ts';
import type { Logger } from '../log/logger.ts';
import { isLoopback, type ListenAddress } from './listen-address.ts';

/** Sets one series of a gauge collected at scrape time. */
export type SetGauge<L extends string> = (labels: Partial<Record<L, string>>, value: number) => void;

/**
 * A node's Prometheus metrics (metrics.listen): one registry per node, never prom-client's
 * global one, so that several nodes in one process (tests) keep theirs apart. The kernel and
 * the modules register their series here; the node serves them on their own listener.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #address: ListenAddress;
  #server: Server | undefined;

  constructor(address: ListenAddress) {
    this.#address = address;
  }

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /**
   * A gauge whose series are read when Prometheus scrapes (`collect` sets them; series it does
   * not set this time disappear). A failing collect fails the scrape, and says why.
   */
  gauge<L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect: (set: SetGauge<L>) => void | Promise<void>,
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        await collect((labels, value) => this.set(labels as Partial<Record<L, string | number>>, value));
      },
    });
  }

  /**
   * A counter read from a running total at scrape time (the total only grows; what it counts is
   * kept by its owner, so that the owner needs no metrics to run).
   */
  counterFrom(name: string, help: string, total: () => number): void {
    let seen = 0;
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        const now = total();
        if (now > seen) this.inc(now - seen);
        seen = Math.max(seen, now);
      },
    });
  }

  /** The port the listener got (metrics.listen may ask for 0), once it listens. */
  get port(): number | undefined {
    return (this.#server?.address() as AddressInfo | null)?.port;
  }

  /**
   * Opens the plain-HTTP listener that answers GET /metrics, and starts the process metrics
   * (CPU, memory, event loop, garbage collection).
   */
  async listen(log: Logger): Promise<void> {
    const { host, port } = this.#address;
    collectDefaultMetrics({ register: this.registry });
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: try /metrics\n');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end();
        return;
      }
      this.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': this.registry.contentType });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        (err) => {
          log.warn({ err }, 'collecting metrics failed');
          res
            .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
            .end(`collecting metrics failed: ${(err as Error).message}\n`);
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(
          (err as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL'
            ? new MeridianError(
                PortUnavailable,
                `metrics.listen: ${host} is not an address of this machine. Give one of its addresses, or 127.0.0.1.`,
                { cause: err },
              )
            : listenError(err, 'metrics.listen', port, host),
        ),
      );
      server.listen(port, host, () => resolve());
    });
    this.#server = server;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${this.port}/metrics`;
    log.info(`metrics at ${url}`);
    if (!isLoopback(host))
      log.warn(
        `metrics.listen binds ${host}, not a loopback address: anyone who can reach ${url} reads the metrics, in clear text and without a token. Keep it on a monitoring network, or bind 127.0.0.1 and scrape locally.`,
      );
  }

  /** Closes the listener and its connections. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
