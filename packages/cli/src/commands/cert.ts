import { extname } from 'node:path';
import type { KeyAlgorithm } from '@meridian/server/pki/keys.ts';
import type { GenerateInput } from '@meridian/server/pki/module.ts';
import { openPortalNode } from '@meridian/server/roles/portal.ts';
import { type CliContext, loadSettings, nextCommand } from '../cli-context.ts';
import { readUserFile, writeUserFile } from '../files.ts';
import { printableJson } from '../iso-times.ts';
import { UsageError } from '../usage-error.ts';
import { day, type Flags, flagText, readStdin, splitFlags, table } from './own-flags.ts';

export const CERT_USAGE = `Usage:
  meridian cert list
  meridian cert show ALIAS
  meridian cert generate ALIAS --cn NAME [--org O] [--org-unit OU] [--city L] [--state ST] [--country C]
                         [--san a.example.com,10.0.0.1] [--key-alg RSA|EC] [--key-size N] [--validity DAYS] [--self-signed]
  meridian cert csr ALIAS [--cn NAME …as generate, for a new alias] [--out FILE]
  meridian cert import ALIAS FILE [--password P | --password-stdin] [--allow-incomplete-chain] [--force]
        a new ALIAS: FILE is a PKCS#12 (.pfx/.p12) or PEM key + certificate chain;
        an existing ALIAS: FILE is the CA's signed reply to its CSR (PEM, DER or PKCS#7)
  meridian cert export ALIAS [--out FILE] [--format der|pem] [--include-chain]   (PEM to stdout without --out)
  meridian cert use ALIAS [--sni HOST] [--force]   serve ALIAS as the web server certificate (or for HOST), live
  meridian cert delete ALIAS
A certificate that does not cover the portal's host name (or HOST), is expired or not yet valid,
or whose key usage does not allow a TLS server is refused with the reasons; --force serves it
anyway (cert use, or cert import of a reply for an alias in use).
Relative paths are taken from the current directory. Each command also takes --home DIR (and
the other settings flags, e.g. --database-url URL).`;

const VALUES = [
  '--cn',
  '--org',
  '--org-unit',
  '--city',
  '--state',
  '--country',
  '--san',
  '--key-alg',
  '--key-size',
  '--validity',
  '--out',
  '--format',
  '--password',
  '--sni',
] as const;
const BOOLEANS = [
  '--self-signed',
  '--password-stdin',
  '--allow-incomplete-chain',
  '--include-chain',
  '--force',
] as const;
const SUBS = ['list', 'show', 'generate', 'csr', 'import', 'export', 'use', 'delete'];

function subject(own: Flags): Omit<GenerateInput, 'alias'> {
  const t = (n: string) => flagText(own, n, CERT_USAGE);
  const int = (n: string) => {
    const v = t(n);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`${n} must be a whole number, not '${v}'.`);
    return Number(v);
  };
  const keyAlg = t('--key-alg')?.toUpperCase();
  if (keyAlg && keyAlg !== 'RSA' && keyAlg !== 'EC')
    throw new UsageError(`--key-alg is RSA or EC, not '${keyAlg}'.`);
  return {
    cn: t('--cn') ?? '',
    org: t('--org'),
    orgUnit: t('--org-unit'),
    city: t('--city'),
    state: t('--state'),
    country: t('--country'),
    ...(t('--san') ? { san: t('--san')!.split(',') } : {}),
    ...(keyAlg ? { keyAlg: keyAlg as KeyAlgorithm } : {}),
    ...(int('--key-size') ? { keySize: int('--key-size') } : {}),
    ...(int('--validity') ? { validityDays: int('--validity') } : {}),
  };
}

function needAlias(words: string[], sub: string): string {
  const alias = words[1];
  if (!alias) throw new UsageError(`meridian cert ${sub}: ALIAS is missing.\n${CERT_USAGE}`);
  return alias;
}

/**
 * `meridian cert …`: the certificate store, through the same services as the API, on the data
 * directory (or database). A change to the certificate in use reaches running nodes through
 * the change bus, as an API change does.
 */
export async function certCommand(argv: string[], flags: Flags, ctx: CliContext): Promise<void> {
  const { words, own, settings } = splitFlags(argv, flags, { values: VALUES, booleans: BOOLEANS });
  const sub = words[0];
  if (!sub || !SUBS.includes(sub))
    throw new UsageError(`meridian cert: unknown subcommand '${sub ?? ''}'.\n${CERT_USAGE}`);
  const force = own['--force'] === true;
  const file = words[2];
  if (sub === 'import' && !file)
    throw new UsageError(`meridian cert import: FILE is missing.\n${CERT_USAGE}`);
  // Read the user's file before opening the data directory: a wrong path changes nothing.
  const data = sub === 'import' ? readUserFile(ctx, file!) : undefined;
  const node = await openPortalNode(loadSettings(settings, ctx), { logger: false });
  const { pki, tls } = node.modules;
  const out = (s: string) => process.stdout.write(s);
  try {
    switch (sub) {
      case 'list': {
        const list = await pki.certificates.list();
        const rows = [['ALIAS', 'SUBJECT', 'ISSUER', 'VALID UNTIL', 'STATE', 'KEY', 'IN USE']];
        for (const c of list.certificates)
          rows.push([
            c.alias,
            c.subject,
            c.issuer,
            day(c.validUntil),
            `${c.expiryState} (${c.daysLeft} d)`,
            c.hasPrivateKey ? 'yes' : 'no',
            c.inUse ? 'yes' : '',
          ]);
        out(table(rows));
        out(
          `web server certificate: ${list.webServerCertificateAlias}; protocols ${list.sslProtocols.join(', ')}; HSTS ${list.HSTSEnabled ? 'on' : 'off'}\n`,
        );
        for (const [host, alias] of Object.entries(list.sniCertificates)) out(`SNI ${host} → ${alias}\n`);
        return;
      }
      case 'show': {
        out(printableJson(await pki.certificates.get(needAlias(words, sub))));
        return;
      }
      case 'generate': {
        const alias = needAlias(words, sub);
        const input = subject(own);
        if (!input.cn) throw new UsageError(`meridian cert generate: --cn is required.\n${CERT_USAGE}`);
        const g = await pki.certificates.generate({
          ...input,
          alias,
          signedBy: own['--self-signed'] ? 'self' : 'portalCA',
        });
        out(
          `generated ${alias}: ${g.details.subject}, issued by ${g.details.issuer}, valid until ${day(g.details.validUntil)}\nSHA-256 ${g.details.sha256Fingerprint}\n`,
        );
        return;
      }
      case 'csr': {
        const alias = needAlias(words, sub);
        const input = subject(own);
        const csr = await pki.certificates.csr(alias, input.cn ? input : undefined);
        const target = flagText(own, '--out', CERT_USAGE);
        if (target) {
          const path = writeUserFile(ctx, target, csr);
          out(
            `wrote the CSR of ${alias} to ${path}: send it to your CA, then run ${nextCommand(ctx, ['cert', 'import', alias, 'REPLY-FILE'], settings)}\n`,
          );
        } else out(csr);
        return;
      }
      case 'import': {
        const alias = needAlias(words, sub);
        const allowIncompleteChain = own['--allow-incomplete-chain'] === true;
        const existing = (await pki.certificates.list()).sslCertificates.includes(alias);
        if (existing) {
          const r = await pki.certificates.importSigned(alias, data!, { allowIncompleteChain, force });
          out(
            `installed the signed certificate of ${alias} (chain ${r.chainComplete ? 'complete' : 'INCOMPLETE'})${r.inUse ? '; every node serves it now' : ''}\n`,
          );
          for (const w of r.warnings) out(`warning: ${w}\n`);
          return;
        }
        const password = own['--password-stdin']
          ? await readStdin()
          : flagText(own, '--password', CERT_USAGE);
        const r = await pki.certificates.importExisting(alias, data!, password, { allowIncompleteChain });
        out(
          `imported ${alias} (chain ${r.chainComplete ? 'complete' : 'INCOMPLETE'}); serve it with: ${nextCommand(ctx, ['cert', 'use', alias], settings)}\n`,
        );
        for (const w of r.warnings) out(`warning: ${w}\n`);
        return;
      }
      case 'export': {
        const alias = needAlias(words, sub);
        const target = flagText(own, '--out', CERT_USAGE);
        const fmt =
          flagText(own, '--format', CERT_USAGE) ??
          (target && ['.cer', '.der'].includes(extname(target).toLowerCase()) ? 'der' : 'pem');
        if (fmt !== 'der' && fmt !== 'pem') throw new UsageError(`--format is der or pem, not '${fmt}'.`);
        if (fmt === 'der' && !target)
          throw new UsageError('meridian cert export: DER is binary: give --out FILE.');
        const exported = await pki.certificates.export(alias, fmt, own['--include-chain'] === true);
        if (target) {
          const path = writeUserFile(ctx, target, exported.body);
          out(`wrote ${path} (${fmt.toUpperCase()}, certificate only, no private key)\n`);
        } else out(exported.body.toString('utf8'));
        return;
      }
      case 'use': {
        const alias = needAlias(words, sub);
        const host = flagText(own, '--sni', CERT_USAGE);
        const current = await tls.settings();
        const r = await tls.update(
          host
            ? { sniCertificates: { ...current.sniCertificates, [host.toLowerCase()]: alias }, force }
            : { webServerCertificateAlias: alias, force },
        );
        for (const w of r.warnings) out(`warning (--force): ${w}\n`);
        out(
          host
            ? `${host} is now served with ${alias} (live on every node)\n`
            : `the web server certificate is now ${alias} (live on every node)\n`,
        );
        return;
      }
      case 'delete': {
        const alias = needAlias(words, sub);
        await pki.certificates.delete(alias);
        out(`deleted ${alias}\n`);
        return;
      }
    }
  } finally {
    await node.close();
  }
}
