import { printableJson } from '../../cli/iso-times.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';

export const certShow: CommandSpec<PkiApi> = {
  name: 'cert show',
  summary: 'One certificate in full, with its chain (JSON, times as ISO dates).',
  args: ['ALIAS'],
  async run(ctx) {
    const { api } = await ctx.open();
    ctx.stdout.write(printableJson(await api.certificates.get(ctx.args[0]!)));
  },
};
