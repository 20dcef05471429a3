import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';

export const trustRemove: CommandSpec<PkiApi> = {
  name: 'trust remove',
  summary: 'Stops trusting a certificate (running nodes at their next connection).',
  args: ['ALIAS'],
  async run(ctx) {
    const alias = ctx.args[0]!;
    const { api } = await ctx.open();
    await api.trust.remove(alias);
    ctx.stdout.write(`removed ${alias} from the trust store\n`);
  },
};
