import { setTimeout as sleep } from 'node:timers/promises';
import { catalogue, MeridianError } from '@meridian/server/kernel/errors/meridian-error.ts';
import { JobFailed } from '@meridian/server/kernel/jobs/errors.ts';
import { ENDED, type Job } from '@meridian/server/kernel/jobs/job.ts';
import type { Kernel } from '@meridian/server/kernel/kernel.ts';
import type { CommandSpec } from '@meridian/server/kernel/module.ts';
import { progressBar } from '../progress-bar.ts';

export interface WatchTiming {
  /** How often the job is read again. Default 250 ms. */
  pollMs?: number;
  /** On a stream that is not a terminal, a progress line at most this often. Default 1 s. */
  lineEveryMs?: number;
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

export function jobsWatch(timing: WatchTiming = {}): CommandSpec<Kernel> {
  return {
    name: 'jobs watch',
    summary: 'A progress bar until the job ends; exit code 0 only if it succeeded.',
    args: ['ID'],
    description:
      'Once the job succeeded, its result is printed on stdout; otherwise its error, with its code.',
    async run(ctx) {
      const { api } = await ctx.open();
      const id = ctx.args[0]!;
      let j = await api.jobs.get(id);
      const bar = progressBar({ label: j.kind, stream: ctx.stderr, lineEveryMs: timing.lineEveryMs });
      try {
        for (;;) {
          bar.update(j.progress);
          if (ENDED.has(j.status)) break;
          await sleep(timing.pollMs ?? 250);
          j = await api.jobs.get(id);
        }
      } finally {
        bar.stop();
      }
      if (j.status !== 'succeeded') throw endedBadly(j);
      ctx.stdout.write(`${j.id} succeeded${j.result === null ? '' : `: ${JSON.stringify(j.result)}`}\n`);
    },
  };
}
