import { text } from '../../cli/options.ts';
import { writeUserFile } from '../../cli/user-files.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';
import { commonNameOption, subjectInput, subjectOptions } from './subject-options.ts';

export const certCsr: CommandSpec<PkiApi> = {
  name: 'cert csr',
  summary: 'A certificate signing request (CSR) for a CA to sign.',
  args: ['ALIAS'],
  options: {
    cn: {
      ...commonNameOption,
      description: `${commonNameOption.description} For a new alias: creates its key.`,
    },
    ...subjectOptions,
    out: { type: 'string', valueName: 'FILE', description: 'Write the CSR to FILE (PEM) instead of stdout.' },
  },
  description:
    'For an existing ALIAS, the request is made with its key and subject; for a new one, give --cn (and the other subject options): a key is created for it. Send the CSR to your CA, then import its reply with meridian cert import ALIAS REPLY-FILE.',
  async run(ctx) {
    const alias = ctx.args[0]!;
    const input = subjectInput(ctx.options);
    const { api } = await ctx.open();
    const csr = await api.certificates.csr(alias, input.cn ? input : undefined);
    const target = text(ctx.options, 'out');
    if (!target) {
      ctx.stdout.write(csr);
      return;
    }
    const path = writeUserFile(ctx, target, csr);
    ctx.stdout.write(
      `wrote the CSR of ${alias} to ${path}: send it to your CA, then run ${ctx.commandLine(['cert', 'import', alias, 'REPLY-FILE'])}\n`,
    );
  },
};
