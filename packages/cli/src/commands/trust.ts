import { readFileSync } from 'node:fs';
import { loadFromProcess } from '@meridian/server/config/load.ts';
import { localCaCertPem } from '@meridian/server/pki/local-ca-store.ts';
import {
  getTrustEntry,
  importTrusted,
  listTrustStore,
  removeTrusted,
} from '@meridian/server/pki/store/trust-store.ts';
import { openPortalCore } from '@meridian/server/start-portal.ts';
import { UsageError } from '../usage-error.ts';
import { day, type Flags, flagText, splitFlags, table } from './own-flags.ts';

const USAGE = `Usage:
  meridian trust list
  meridian trust show ALIAS
  meridian trust import FILE --alias A     a root or intermediate CA (PEM, DER, PKCS#7 or a PEM bundle)
  meridian trust remove ALIAS
  meridian trust export-ca                 print the portal's root CA certificate (PEM)
Each also takes --home DIR (and the other settings flags, e.g. --database-url).
Changes apply to running nodes without a restart.`;

/** `meridian trust …`: the certificates the portal trusts when it calls other sites. */
export async function trustCommand(argv: string[], flags: Flags): Promise<void> {
  const { words, own, settings } = splitFlags(argv, flags, { values: ['--alias'], booleans: [] });
  const [sub, arg] = words;
  if (!sub || !['list', 'show', 'import', 'remove', 'export-ca'].includes(sub))
    throw new UsageError(`meridian trust: unknown subcommand '${sub ?? ''}'.\n${USAGE}`);
  if (['show', 'import', 'remove'].includes(sub) && !arg)
    throw new UsageError(
      `meridian trust ${sub}: ${sub === 'import' ? 'FILE' : 'ALIAS'} is missing.\n${USAGE}`,
    );
  const core = await openPortalCore(loadFromProcess(settings));
  const out = (s: string) => process.stdout.write(s);
  try {
    switch (sub) {
      case 'list': {
        const rows = [['ALIAS', 'SUBJECT', 'VALID UNTIL', 'STATE', 'CA', 'SHA-256']];
        for (const e of await listTrustStore(core))
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
        out(`${JSON.stringify(await getTrustEntry(core, arg!), null, 2)}\n`);
        return;
      case 'import': {
        const alias = flagText(own, '--alias', USAGE);
        if (!alias) throw new UsageError(`meridian trust import: --alias is required.\n${USAGE}`);
        const aliases = await importTrusted(core, alias, readFileSync(arg!));
        out(`trusted: ${aliases.join(', ')} (running nodes use it for their next connection)\n`);
        return;
      }
      case 'remove':
        await removeTrusted(core, arg!);
        out(`removed ${arg} from the trust store\n`);
        return;
      case 'export-ca':
        out(await localCaCertPem(core));
        return;
    }
  } finally {
    await core.db.close();
  }
}
