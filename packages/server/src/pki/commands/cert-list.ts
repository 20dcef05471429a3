import { isoDay } from '../../cli/iso-times.ts';
import { table } from '../../cli/table.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';

export const certList: CommandSpec<PkiApi> = {
  name: 'cert list',
  summary: 'The certificates: subject, issuer, expiry, key, which are served.',
  async run(ctx) {
    const { api } = await ctx.open();
    const list = await api.certificates.list();
    const rows = [['ALIAS', 'SUBJECT', 'ISSUER', 'VALID UNTIL', 'STATE', 'KEY', 'IN USE']];
    for (const c of list.certificates)
      rows.push([
        c.alias,
        c.subject,
        c.issuer,
        isoDay(c.validUntil),
        `${c.expiryState} (${c.daysLeft} d)`,
        c.hasPrivateKey ? 'yes' : 'no',
        c.inUse ? 'yes' : '',
      ]);
    const out = [table(rows)];
    out.push(
      `web server certificate: ${list.webServerCertificateAlias}; protocols ${list.sslProtocols.join(', ')}; HSTS ${list.HSTSEnabled ? 'on' : 'off'}\n`,
    );
    for (const [host, alias] of Object.entries(list.sniCertificates)) out.push(`SNI ${host} → ${alias}\n`);
    ctx.stdout.write(out.join(''));
  },
};
