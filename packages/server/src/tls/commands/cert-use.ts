import { given, text } from '../../cli/options.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { TlsApi } from '../module.ts';

export const certUse: CommandSpec<TlsApi> = {
  name: 'cert use',
  summary: 'Serves a certificate (for every host name, or one), live on every node.',
  args: ['ALIAS'],
  options: {
    sni: {
      type: 'string',
      valueName: 'HOST',
      description: 'Serve it to clients that ask for HOST (SNI) instead of as the default certificate.',
    },
    force: {
      type: 'boolean',
      description: 'Serve it even when it does not suit, and say what was overridden.',
    },
  },
  description:
    "A certificate that does not cover the portal's host name (the hostname setting) or HOST, is expired or not yet valid, or whose key usage does not allow a TLS server is refused with every reason; --force serves it anyway.",
  async run(ctx) {
    const alias = ctx.args[0]!;
    const host = text(ctx.options, 'sni');
    const force = given(ctx.options, 'force');
    const { api } = await ctx.open();
    const current = await api.settings();
    const r = await api.update(
      host
        ? { sniCertificates: { ...current.sniCertificates, [host.toLowerCase()]: alias }, force }
        : { webServerCertificateAlias: alias, force },
    );
    const lines = r.warnings.map((w) => `warning (--force): ${w}`);
    lines.push(
      host
        ? `${host} is now served with ${alias} (live on every node)`
        : `the web server certificate is now ${alias} (live on every node)`,
    );
    ctx.stdout.write(`${lines.join('\n')}\n`);
  },
};
