import type { Kernel } from '@meridian/server/kernel/kernel.ts';
import type { CommandSpec } from '@meridian/server/kernel/module.ts';
import { isoTime } from './job-text.ts';

export const jobsShow: CommandSpec<Kernel> = {
  name: 'jobs show',
  summary: 'One job: status, progress, input, result or error, times, node (JSON).',
  args: ['ID'],
  async run(ctx) {
    const { api } = await ctx.open();
    const j = await api.jobs.get(ctx.args[0]!);
    const printable = {
      ...j,
      created: isoTime(j.created),
      started: isoTime(j.started),
      finished: isoTime(j.finished),
      modified: isoTime(j.modified),
    };
    ctx.stdout.write(`${JSON.stringify(printable, null, 2)}\n`);
  },
};
