import { text } from '@meridian/server/cli/options.ts';
import { table } from '@meridian/server/cli/table.ts';
import { UsageError } from '@meridian/server/cli/usage-error.ts';
import { JOB_STATUSES, type JobStatus } from '@meridian/server/kernel/jobs/job.ts';
import type { Kernel } from '@meridian/server/kernel/kernel.ts';
import type { CommandSpec } from '@meridian/server/kernel/module.ts';
import { isoTime, progressText } from './job-text.ts';

export const jobsList: CommandSpec<Kernel> = {
  name: 'jobs list',
  summary: 'The jobs, newest first, with their status and progress.',
  options: {
    status: {
      type: 'string',
      valueName: JOB_STATUSES.join('|'),
      description: 'Only the jobs in this state.',
    },
    kind: { type: 'string', valueName: 'KIND', description: 'Only the jobs of this kind.' },
  },
  async run(ctx) {
    const status = text(ctx.options, 'status');
    if (status !== undefined && !JOB_STATUSES.includes(status as JobStatus))
      throw new UsageError(
        `meridian jobs list: --status is one of ${JOB_STATUSES.join(', ')}, not '${status}'.`,
      );
    const { api } = await ctx.open();
    const rows = [['ID', 'KIND', 'STATUS', 'PROGRESS', 'CREATED', 'NODE']];
    for (let start = 1; start !== -1; ) {
      const page = await api.jobs.list({
        status: status as JobStatus | undefined,
        kind: text(ctx.options, 'kind'),
        start,
        num: 100,
      });
      for (const j of page.jobs)
        rows.push([
          j.id,
          j.kind,
          j.cancelRequested && j.status === 'running' ? 'running (cancel asked)' : j.status,
          progressText(j),
          isoTime(j.created),
          j.node ?? '',
        ]);
      start = page.nextStart;
    }
    ctx.stdout.write(rows.length > 1 ? table(rows) : 'No jobs.\n');
  },
};
