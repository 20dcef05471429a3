import { extname } from 'node:path';
import { given, text } from '../../cli/options.ts';
import { UsageError } from '../../cli/usage-error.ts';
import { writeUserFile } from '../../cli/user-files.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';

export const certExport: CommandSpec<PkiApi> = {
  name: 'cert export',
  summary: 'A certificate (never its key), PEM to stdout or PEM/DER to a file.',
  args: ['ALIAS'],
  options: {
    out: { type: 'string', valueName: 'FILE', description: 'Write it to FILE instead of stdout.' },
    format: {
      type: 'string',
      valueName: 'der|pem',
      description:
        'The encoding: pem (default), or der (binary: needs --out; the default for .cer and .der files).',
    },
    'include-chain': { type: 'boolean', description: 'Add its chain of issuers (PEM).' },
  },
  async run(ctx) {
    const alias = ctx.args[0]!;
    const target = text(ctx.options, 'out');
    const format =
      text(ctx.options, 'format') ??
      (target && ['.cer', '.der'].includes(extname(target).toLowerCase()) ? 'der' : 'pem');
    if (format !== 'der' && format !== 'pem')
      throw new UsageError(`--format is der or pem, not '${format}'.`);
    if (format === 'der' && !target)
      throw new UsageError('meridian cert export: DER is binary: give --out FILE.');
    const { api } = await ctx.open();
    const exported = await api.certificates.export(alias, format, given(ctx.options, 'include-chain'));
    if (!target) {
      ctx.stdout.write(exported.body.toString('utf8'));
      return;
    }
    const path = writeUserFile(ctx, target, exported.body);
    ctx.stdout.write(`wrote ${path} (${format.toUpperCase()}, certificate only, no private key)\n`);
  },
};
