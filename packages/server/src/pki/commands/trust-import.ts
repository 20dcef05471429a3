import { text } from '../../cli/options.ts';
import { readUserFile } from '../../cli/user-files.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';

export const trustImport: CommandSpec<PkiApi> = {
  name: 'trust import',
  summary: 'Trusts a CA (or pins one server by its own certificate).',
  args: ['FILE'],
  options: {
    alias: { type: 'string', valueName: 'A', required: true, description: 'The name it is kept under.' },
  },
  description:
    "FILE is PEM, DER, PKCS#7 or a PEM bundle. A CA lets the portal trust every certificate it issues; a server's own certificate pins that one server. Running nodes use it for their next connection, without a restart.",
  async run(ctx) {
    // Read the user's file before opening the data directory: a wrong path changes nothing.
    const data = readUserFile(ctx, ctx.args[0]!);
    const { api } = await ctx.open();
    const r = await api.trust.import(text(ctx.options, 'alias')!, data);
    const lines = [`trusted: ${r.aliases.join(', ')} (running nodes use it for their next connection)`];
    for (const note of r.notes) lines.push(`note: ${note}`);
    ctx.stdout.write(`${lines.join('\n')}\n`);
  },
};
