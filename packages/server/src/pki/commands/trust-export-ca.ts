import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';

export const trustExportCa: CommandSpec<PkiApi> = {
  name: 'trust export-ca',
  summary: "Prints the portal's root CA certificate (PEM) for browsers and tools.",
  description:
    'Redirect it to a file: npm run --silent meridian -- trust export-ca > meridian-ca.pem (--silent keeps npm’s own lines out of the file).',
  async run(ctx) {
    const { api } = await ctx.open();
    ctx.stdout.write(await api.localCaPem());
  },
};
