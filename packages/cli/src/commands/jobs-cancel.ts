import type { Kernel } from '@meridian/server/kernel/kernel.ts';
import type { CommandSpec } from '@meridian/server/kernel/module.ts';

export const jobsCancel: CommandSpec<Kernel> = {
  name: 'jobs cancel',
  summary: 'Cancels a job (a running one as soon as its node sees it).',
  args: ['ID'],
  description:
    'The cancel reaches the node running the job through the change bus (NOTIFY on PostgreSQL, the bus table on SQLite) or, at the latest, at its next lease renewal.',
  async run(ctx) {
    const { api } = await ctx.open();
    const j = await api.jobs.cancel(ctx.args[0]!);
    ctx.stdout.write(
      j.status === 'cancelled'
        ? `${j.id} cancelled\n`
        : `${j.id}: cancel requested; the node running it stops it (${ctx.commandLine(['jobs', 'watch', j.id])})\n`,
    );
  },
};
