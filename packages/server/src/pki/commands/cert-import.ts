import { given, text } from '../../cli/options.ts';
import { readStdin } from '../../cli/stdin.ts';
import { UsageError } from '../../cli/usage-error.ts';
import { readUserFile } from '../../cli/user-files.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';

export const certImport: CommandSpec<PkiApi> = {
  name: 'cert import',
  summary: "Imports a key with its certificate, or a CA's signed reply to a CSR.",
  args: ['ALIAS', 'FILE'],
  options: {
    password: { type: 'string', valueName: 'P', description: 'The password of a PKCS#12 file.' },
    'password-stdin': { type: 'boolean', description: 'Read the PKCS#12 password from stdin.' },
    'allow-incomplete-chain': {
      type: 'boolean',
      description: 'Import it even when the chain to a trusted root cannot be completed.',
    },
    force: {
      type: 'boolean',
      description: 'Install a reply for a certificate in use even when it would not suit the listener.',
    },
  },
  description:
    "A new ALIAS: FILE is a PKCS#12 (.pfx/.p12) or a PEM key with its certificate chain. An existing ALIAS: FILE is the CA's signed reply to its CSR (PEM, DER or PKCS#7). A reply for a certificate in use that does not cover the portal's host name, is expired or not yet valid, or is not allowed for a TLS server is refused with the reasons; --force installs it anyway.",
  async run(ctx) {
    const [alias, file] = ctx.args as [string, string];
    const password = text(ctx.options, 'password');
    const passwordStdin = given(ctx.options, 'password-stdin');
    if (password !== undefined && passwordStdin)
      throw new UsageError('meridian cert import: give --password P or --password-stdin, not both.');
    const allowIncompleteChain = given(ctx.options, 'allow-incomplete-chain');
    // Read the user's file before opening the data directory: a wrong path changes nothing.
    const data = readUserFile(ctx, file);
    const { api } = await ctx.open();
    const existing = (await api.certificates.list()).sslCertificates.includes(alias);
    const lines: string[] = [];
    if (existing) {
      const force = given(ctx.options, 'force');
      const r = await api.certificates.importSigned(alias, data, { allowIncompleteChain, force });
      lines.push(
        `installed the signed certificate of ${alias} (chain ${r.chainComplete ? 'complete' : 'INCOMPLETE'})${r.inUse ? '; every node serves it now' : ''}`,
      );
      for (const w of r.warnings) lines.push(`warning: ${w}`);
    } else {
      const secret = passwordStdin ? await readStdin(ctx.stdin) : password;
      const r = await api.certificates.importExisting(alias, data, secret, { allowIncompleteChain });
      lines.push(
        `imported ${alias} (chain ${r.chainComplete ? 'complete' : 'INCOMPLETE'}); serve it with: ${ctx.commandLine(['cert', 'use', alias])}`,
      );
      for (const w of r.warnings) lines.push(`warning: ${w}`);
    }
    ctx.stdout.write(`${lines.join('\n')}\n`);
  },
};
