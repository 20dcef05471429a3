import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeBus } from '@meridian/server/kernel/bus/bus.ts';
import type { Config } from '@meridian/server/kernel/config/load.ts';
import { openDatabase } from '@meridian/server/kernel/db/database.ts';
import { catalogue, MeridianError } from '@meridian/server/kernel/errors/meridian-error.ts';
import { JobFailed } from '@meridian/server/kernel/jobs/errors.ts';
import { ENDED, JOB_STATUSES, type Job, type JobStatus } from '@meridian/server/kernel/jobs/job.ts';
import { createJobService, type JobService } from '@meridian/server/kernel/jobs/job-service.ts';
import { type CliContext, loadSettings } from '../cli-context.ts';
import { progressBar } from '../progress-bar.ts';
import { UsageError } from '../usage-error.ts';
import { type Flags, flagText, splitFlags, table } from './own-flags.ts';

export const JOBS_USAGE = `Usage:
  meridian jobs list [--status queued|running|succeeded|failed|cancelled] [--kind KIND]   newest first
  meridian jobs show ID        status, progress, input, result or error, times, node
  meridian jobs cancel ID      a queued job at once; a running one as soon as its node sees it
  meridian jobs watch ID       a progress bar until the job ends; exit code 0 only if it succeeded
Each also takes --home DIR (and the other settings flags, e.g. --database-url).`;

const OWN_FLAGS = { values: ['--status', '--kind'], booleans: [] } as const;

/** Where the command writes, and how often watch reads the job again (tests make it quicker). */
export interface JobsIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  pollMs: number;
  lineEveryMs?: number;
}

const processIo: JobsIo = { stdout: process.stdout, stderr: process.stderr, pollMs: 250 };

/**
 * The jobs of the data directory (or database): read and cancelled directly, as the admin API
 * does. A cancel reaches the node running the job through the change bus (NOTIFY on
 * PostgreSQL, the bus table on SQLite) or, at the latest, at its next lease renewal.
 */
async function openJobs(config: Config): Promise<{ jobs: JobService; close(): Promise<void> }> {
  const db = openDatabase({ url: config.database.url || undefined, home: config.home });
  const bus = new ChangeBus(db);
  return { jobs: createJobService({ db, bus }), close: () => db.close() };
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

function progressText(j: Job): string {
  const p = j.progress;
  const count = p.total ? `${p.done}/${p.total} (${Math.floor((p.done / p.total) * 100)}%)` : `${p.done}`;
  return p.message ? `${count} ${p.message}` : count;
}

function needId(words: string[], sub: string): string {
  const id = words[1];
  if (!id) throw new UsageError(`meridian jobs ${sub}: ID is missing.\n${JOBS_USAGE}`);
  return id;
}

/** The error a watched job that did not succeed ends the command with (exit code 1). */
function endedBadly(j: Job): MeridianError {
  const code = j.error?.code ?? JobFailed.code;
  const spec = catalogue.get(code) ?? JobFailed;
  return new MeridianError(
    spec,
    `Job ${j.id} (${j.kind}) ${j.status}: ${j.error?.message ?? 'no reason given'}`,
  );
}

export async function jobsCommand(
  argv: string[],
  flags: Flags,
  ctx: CliContext,
  io: JobsIo = processIo,
): Promise<void> {
  const { words, own, settings } = splitFlags(argv, flags, OWN_FLAGS);
  const sub = words[0];
  if (!sub || !['list', 'show', 'cancel', 'watch'].includes(sub))
    throw new UsageError(`meridian jobs: unknown subcommand '${sub ?? ''}'.\n${JOBS_USAGE}`);
  const status = flagText(own, '--status', JOBS_USAGE);
  if (status !== undefined && !JOB_STATUSES.includes(status as JobStatus))
    throw new UsageError(`meridian jobs list: --status is one of ${JOB_STATUSES.join(', ')}.`);
  const id = sub === 'list' ? '' : needId(words, sub);
  const { jobs, close } = await openJobs(loadSettings(settings, ctx));
  try {
    switch (sub) {
      case 'list': {
        const rows = [['ID', 'KIND', 'STATUS', 'PROGRESS', 'CREATED', 'NODE']];
        for (let start = 1; start !== -1; ) {
          const page = await jobs.list({
            status: status as JobStatus | undefined,
            kind: flagText(own, '--kind', JOBS_USAGE),
            start,
            num: 100,
          });
          for (const j of page.jobs)
            rows.push([
              j.id,
              j.kind,
              j.cancelRequested && j.status === 'running' ? 'running (cancel asked)' : j.status,
              progressText(j),
              iso(j.created),
              j.node ?? '',
            ]);
          start = page.nextStart;
        }
        io.stdout.write(rows.length > 1 ? table(rows) : 'No jobs.\n');
        return;
      }
      case 'show': {
        const j = await jobs.get(id);
        const printable = {
          ...j,
          created: iso(j.created),
          started: iso(j.started),
          finished: iso(j.finished),
          modified: iso(j.modified),
        };
        io.stdout.write(`${JSON.stringify(printable, null, 2)}\n`);
        return;
      }
      case 'cancel': {
        const j = await jobs.cancel(id);
        io.stdout.write(
          j.status === 'cancelled'
            ? `${j.id} cancelled\n`
            : `${j.id}: cancel requested; the node running it stops it (meridian jobs watch ${j.id})\n`,
        );
        return;
      }
      case 'watch': {
        let j = await jobs.get(id);
        const bar = progressBar({ label: j.kind, stream: io.stderr, lineEveryMs: io.lineEveryMs });
        try {
          for (;;) {
            bar.update(j.progress);
            if (ENDED.has(j.status)) break;
            await sleep(io.pollMs);
            j = await jobs.get(id);
          }
        } finally {
          bar.stop();
        }
        if (j.status !== 'succeeded') throw endedBadly(j);
        io.stdout.write(`${j.id} succeeded${j.result === null ? '' : `: ${JSON.stringify(j.result)}`}\n`);
        return;
      }
    }
  } finally {
    await close();
  }
}
