import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';

export const certDelete: CommandSpec<PkiApi> = {
  name: 'cert delete',
  summary: 'Deletes a certificate and its key (refused while it is served).',
  args: ['ALIAS'],
  async run(ctx) {
    const alias = ctx.args[0]!;
    const { api } = await ctx.open();
    await api.certificates.delete(alias);
    ctx.stdout.write(`deleted ${alias}\n`);
  },
};
