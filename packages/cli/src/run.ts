import { isMeridianError } from '@meridian/server/kernel/errors/meridian-error.ts';
import type { CliContext } from './cli-context.ts';
import { CERT_USAGE, certCommand } from './commands/cert.ts';
import { DOCTOR_USAGE, doctorCommand } from './commands/doctor.ts';
import { JOBS_USAGE, jobsCommand } from './commands/jobs.ts';
import { START_USAGE, startCommand } from './commands/start.ts';
import { TRUST_USAGE, trustCommand } from './commands/trust.ts';
import { USAGE as USERS_USAGE, usersCommand } from './commands/users.ts';
import { CliFileError, fileErrorLine } from './files.ts';
import { parseFlags } from './flags.ts';
import { UsageError } from './usage-error.ts';

const HELP = `meridian — a self-hosted web GIS portal

Usage:
  meridian start [--home DIR] [--https-port N] [--http-port N] [--config FILE] …
  meridian cert list|show|generate|csr|import|export|use|delete …   the certificates the portal serves
  meridian trust list|show|import|remove|export-ca …             the CAs the portal trusts when it calls other sites
  meridian doctor https://host[:port][/path] [--trust --fingerprint SHA256]   why a site is (not) trusted, and the fix
  meridian users add|list|set-role|disable|enable|unlock|reset-password …
  meridian jobs list|show|cancel|watch …                         long operations: progress, cancel
  meridian help [COMMAND]                                        this text, or the help of one command

'meridian COMMAND --help' shows the help of one command. Every setting has a flag (for example
--home DIR, --database-url URL, --outbound-allow-loopback true); see docs/config.md.
`;

type Command = (words: string[], flags: Record<string, string | boolean>, ctx: CliContext) => Promise<void>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  start: { run: (_w, f, ctx) => startCommand(f, ctx), usage: START_USAGE },
  cert: { run: certCommand, usage: CERT_USAGE },
  doctor: { run: doctorCommand, usage: DOCTOR_USAGE },
  trust: { run: trustCommand, usage: TRUST_USAGE },
  users: { run: usersCommand, usage: USERS_USAGE },
  jobs: { run: (w, f, ctx) => jobsCommand(w, f, ctx), usage: JOBS_USAGE },
};

const isHelpFlag = (a: string) => a === '--help' || a === '-h';

function help(topic: string | undefined): number {
  if (topic === undefined) {
    process.stdout.write(HELP);
    return 0;
  }
  const cmd = COMMANDS[topic];
  if (!cmd) {
    process.stderr.write(`meridian: unknown command '${topic}'\n\n${HELP}`);
    return 2;
  }
  process.stdout.write(`${cmd.usage}\n`);
  return 0;
}

/** Runs one `meridian` command line; returns the exit code. Errors are one line, never a stack trace. */
export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  const { words, flags } = parseFlags(argv.filter((a, i) => !(isHelpFlag(a) && (end === -1 || i < end))));
  const [name, ...rest] = words;
  if (!name || name === 'help') return help(name ? rest[0] : undefined);
  if (options.some(isHelpFlag)) return help(name);
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`meridian: unknown command '${name}'\n\n${HELP}`);
    return 2;
  }
  try {
    await cmd.run(rest, flags, ctx);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof CliFileError) {
      process.stderr.write(`meridian: ${err.message}\n`);
      return 1;
    }
    if (isMeridianError(err)) {
      process.stderr.write(`meridian: ${err.message} [${err.code}]\n`);
      return 1;
    }
    const file = fileErrorLine(err);
    if (file) {
      process.stderr.write(`meridian: ${file}\n`);
      return 1;
    }
    throw err;
  }
}
