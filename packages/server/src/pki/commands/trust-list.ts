import { isoDay } from '../../cli/iso-times.ts';
import { table } from '../../cli/table.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';

export const trustList: CommandSpec<PkiApi> = {
  name: 'trust list',
  summary: 'The certificates the portal trusts when it calls other sites.',
  async run(ctx) {
    const { api } = await ctx.open();
    const rows = [['ALIAS', 'SUBJECT', 'VALID UNTIL', 'STATE', 'CA', 'SHA-256']];
    for (const e of await api.trust.list())
      rows.push([
        e.builtIn ? `${e.alias} (built in)` : e.alias,
        e.subject,
        isoDay(e.validUntil),
        `${e.expiryState} (${e.daysLeft} d)`,
        e.isCA ? 'yes' : 'no',
        e.sha256Fingerprint,
      ]);
    ctx.stdout.write(table(rows));
  },
};
