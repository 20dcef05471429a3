import { printableJson } from '../../cli/iso-times.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';

export const trustShow: CommandSpec<PkiApi> = {
  name: 'trust show',
  summary: 'One trusted certificate in full (JSON, times as ISO dates).',
  args: ['ALIAS'],
  async run(ctx) {
    const { api } = await ctx.open();
    ctx.stdout.write(printableJson(await api.trust.get(ctx.args[0]!)));
  },
};
