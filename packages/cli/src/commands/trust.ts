import { openPortalNode } from '@meridian/server/roles/portal.ts';
import { type CliContext, loadSettings } from '../cli-context.ts';
import { readUserFile } from '../files.ts';
import { printableJson } from '../iso-times.ts';
import { UsageError } from '../usage-error.ts';
import { day, type Flags, flagText, splitFlags, table } from './own-flags.ts';

export const TRUST_USAGE = `Usage:
  meridian trust list
  meridian trust show ALIAS
  meridian trust import FILE --alias A     a root or intermediate CA (PEM, DER, PKCS#7 or a PEM bundle);
                                           a server's own certificate pins that one server
  meridian trust remove ALIAS
  meridian trust export-ca                 print the portal's root CA certificate (PEM), e.g.
                                           npm run --silent meridian -- trust export-ca > meridian-ca.pem
Relative paths are taken from the current directory. Each command also takes --home DIR (and
the other settings flags, e.g. --database-url URL). Changes apply to running nodes without a
restart.`;

/** `meridian trust …`: the certificates the portal trusts when it calls other sites. */
export async function trustCommand(argv: string[], flags: Flags, ctx: CliContext): Promise<void> {
  const { words, own, settings } = splitFlags(argv, flags, { values: ['--alias'], booleans: [] });
  const [sub, arg] = words;
  if (!sub || !['list', 'show', 'import', 'remove', 'export-ca'].includes(sub))
    throw new UsageError(`meridian trust: unknown subcommand '${sub ?? ''}'.\n${TRUST_USAGE}`);
  if (['show', 'import', 'remove'].includes(sub) && !arg)
    throw new UsageError(
      `meridian trust ${sub}: ${sub === 'import' ? 'FILE' : 'ALIAS'} is missing.\n${TRUST_USAGE}`,
    );
  const alias = flagText(own, '--alias', TRUST_USAGE);
  if (sub === 'import' && !alias)
    throw new UsageError(`meridian trust import: --alias is required.\n${TRUST_USAGE}`);
  // Read the user's file before opening the data directory: a wrong path changes nothing.
  const data = sub === 'import' ? readUserFile(ctx, arg!) : undefined;
  const node = await openPortalNode(loadSettings(settings, ctx), { logger: false });
  const { pki } = node.modules;
  const out = (s: string) => process.stdout.write(s);
  try {
    switch (sub) {
      case 'list': {
        const rows = [['ALIAS', 'SUBJECT', 'VALID UNTIL', 'STATE', 'CA', 'SHA-256']];
        for (const e of await pki.trust.list())
          rows.push([
            e.builtIn ? `${e.alias} (built in)` : e.alias,
            e.subject,
            day(e.validUntil),
            `${e.expiryState} (${e.daysLeft} d)`,
            e.isCA ? 'yes' : 'no',
            e.sha256Fingerprint,
          ]);
        out(table(rows));
        return;
      }
      case 'show':
        out(printableJson(await pki.trust.get(arg!)));
        return;
      case 'import': {
        const r = await pki.trust.import(alias!, data!);
        out(`trusted: ${r.aliases.join(', ')} (running nodes use it for their next connection)\n`);
        for (const note of r.notes) out(`note: ${note}\n`);
        return;
      }
      case 'remove':
        await pki.trust.remove(arg!);
        out(`removed ${arg} from the trust store\n`);
        return;
      case 'export-ca':
        out(await pki.localCaPem());
        return;
    }
  } finally {
    await node.close();
  }
}
