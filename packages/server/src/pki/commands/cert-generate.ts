import { isoDay } from '../../cli/iso-times.ts';
import { given } from '../../cli/options.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';
import { commonNameOption, subjectInput, subjectOptions } from './subject-options.ts';

export const certGenerate: CommandSpec<PkiApi> = {
  name: 'cert generate',
  summary: 'A new key and certificate, issued by the portal CA (or self-signed).',
  args: ['ALIAS'],
  options: {
    cn: { ...commonNameOption, required: true },
    ...subjectOptions,
    'self-signed': {
      type: 'boolean',
      description: "Sign it with its own key instead of the portal's CA (clients must trust it one by one).",
    },
  },
  description: 'Serve it with meridian cert use ALIAS.',
  async run(ctx) {
    const alias = ctx.args[0]!;
    const input = subjectInput(ctx.options);
    const { api } = await ctx.open();
    const g = await api.certificates.generate({
      ...input,
      alias,
      signedBy: given(ctx.options, 'self-signed') ? 'self' : 'portalCA',
    });
    ctx.stdout.write(
      `generated ${alias}: ${g.details.subject}, issued by ${g.details.issuer}, valid until ${isoDay(g.details.validUntil)}\nSHA-256 ${g.details.sha256Fingerprint}\n`,
    );
  },
};
