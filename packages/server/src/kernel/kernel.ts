import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeBus } from './bus/bus.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config/load.ts';
import { type Db, openDatabase } from './db/database.ts';
import { checkDatabaseRecord } from './db/database-record.ts';
import { createJobService, type JobService } from './jobs/job-service.ts';
import { createLogger, type Logger, type LoggerOptions } from './log/logger.ts';
import { registerKernelMetrics } from './metrics/kernel-metrics.ts';
import { parseListenAddress } from './metrics/listen-address.ts';
import { Metrics } from './metrics/metrics.ts';
import { createPipelineRunner, type PipelineRunner } from './pipeline/runner.ts';
import { SecretBox } from './secrets/box.ts';

/**
 * What every module is built on, and nothing domain-specific: the configuration, the database,
 * the change bus between nodes, the secrets box, the logger, the clock and the portal's public
 * base URL. Modules get it in create(kernel, deps); nothing in kernel/ imports a module.
 */
export interface Kernel {
  readonly config: Config;
  readonly db: Db;
  readonly bus: ChangeBus;
  readonly box: SecretBox;
  readonly log: Logger;
  readonly clock: Clock;
  /** Long operations with progress, cancel and leases across nodes (kernel/jobs). */
  readonly jobs: JobService;
  /** Runs step pipelines and keeps their traces (kernel/pipeline). */
  readonly pipelines: PipelineRunner;
  /**
   * Prometheus metrics, when metrics.listen is set (kernel/metrics): modules add their series
   * here. Undefined when metrics are off, so that nothing is measured then.
   */
  readonly metrics: Metrics | undefined;
  /** The node's public URL as clients reach it, e.g. https://localhost:7443 (no trailing slash). */
  baseUrl(): string;
}

export interface OpenedKernel extends Kernel {
  /** Records the port actually listened on (0 in the config picks a free one). */
  setListenPort(port: number): void;
  /** Starts the kernel's background work: the job worker, trace housekeeping. */
  start(): void;
  /** Stops that work and the bus, and closes the database. */
  close(): Promise<void>;
}

export interface KernelOptions {
  logger?: LoggerOptions;
  clock?: Clock;
}

/**
 * Opens the kernel: the logger first (so that everything after it can log), then the data
 * directory, the secrets key, the database (not migrated: the role migrates its modules'
 * tables) and the change bus (not started).
 */
export function openKernel(config: Config, opts: KernelOptions = {}): OpenedKernel {
  const log = createLogger(config.log.level, opts.logger);
  mkdirSync(config.home, { recursive: true, mode: 0o700 });
  const box = SecretBox.openOrCreate(join(config.home, 'secrets.key'));
  const { moved } = checkDatabaseRecord(config.home, config.database.url || undefined);
  if (moved) log.warn(`this data directory's database moved from ${moved}; the new address is recorded`);
  const db = openDatabase({
    url: config.database.url || undefined,
    home: config.home,
    onPoolError: (err) => log.warn({ err }, 'database connection lost; the pool opens a new one'),
  });
  const bus = new ChangeBus(db, log);
  const clock = opts.clock ?? systemClock;
  const jobs = createJobService({ db, bus, log, clock, nodeId: bus.nodeId });
  const pipelines = createPipelineRunner({
    db,
    keepDays: config.traces.keepDays,
    clock,
    log,
    nodeId: bus.nodeId,
  });
  const listen = parseListenAddress(config.metrics.listen);
  const metrics = listen ? new Metrics(listen) : undefined;
  if (metrics) registerKernelMetrics(metrics, { db, bus });
  let port = config.https.port;
  let started = false;
  return {
    config,
    db,
    bus,
    box,
    log,
    clock,
    jobs,
    pipelines,
    metrics,
    baseUrl: () =>
      config.publicUrl
        ? new URL(config.publicUrl).origin
        : `https://${config.hostname}${port === 443 ? '' : `:${port}`}`,
    setListenPort(p: number) {
      port = p;
    },
    start() {
      started = true;
      pipelines.start();
      jobs.startWorker();
    },
    async close() {
      if (started) {
        await jobs.stop();
        pipelines.stop();
      }
      await metrics?.close();
      await bus.stop();
      await db.close();
    },
  };
}
