import { isMeridianError } from '@meridian/server/errors/meridian-error.ts';
import { certCommand } from './commands/cert.ts';
import { doctorCommand } from './commands/doctor.ts';
import { startCommand } from './commands/start.ts';
import { trustCommand } from './commands/trust.ts';
import { usersCommand } from './commands/users.ts';
import { parseFlags } from './flags.ts';
import { UsageError } from './usage-error.ts';

const HELP = `meridian — a self-hosted web GIS portal

Usage:
  meridian start [--home DIR] [--https-port N] [--http-port N] [--config FILE] …
  meridian cert list|show|generate|csr|import|export|use|delete …   the certificates the portal serves
  meridian trust list|show|import|remove|export-ca …             the CAs the portal trusts when it calls other sites
  meridian doctor https://host[:port][/path] [--trust --fingerprint SHA256]   why a site is (not) trusted, and the fix
  meridian users add|list|set-role|disable|enable|reset-password …
  meridian help

Every setting has a flag; see docs/config.md.
`;

type Command = (words: string[], flags: Record<string, string | boolean>) => Promise<void>;

const commands: Record<string, Command> = {
  start: (_w, f) => startCommand(f),
  cert: certCommand,
  doctor: doctorCommand,
  trust: trustCommand,
  users: usersCommand,
};

export async function main(argv: string[]): Promise<number> {
  const { words, flags } = parseFlags(argv);
  const [name, ...rest] = words;
  if (!name || name === 'help' || flags['--help']) {
    process.stdout.write(HELP);
    return 0;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`meridian: unknown command '${name}'\n\n${HELP}`);
    return 2;
  }
  try {
    await cmd(rest, flags);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (isMeridianError(err)) {
      process.stderr.write(`meridian: ${err.message} [${err.code}]\n`);
      return 1;
    }
    throw err;
  }
}

const code = await main(process.argv.slice(2));
if (code !== 0 || !['start'].includes(process.argv[2] ?? '')) process.exitCode = code;
