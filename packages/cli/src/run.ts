/**
 * Runs one `meridian` command line against a role's commands: finds the command, parses its
 * options with node:util parseArgs, prints the generated help, and turns a failure into one
 * line (never a stack trace) and an exit code: 0, 1 for an error (its code in brackets), 2 for
 * a mistake in the command line.
 */
import { UsageError } from '@meridian/server/cli/usage-error.ts';
import { CliFileError, fileErrorLine } from '@meridian/server/cli/user-files.ts';
import { isMeridianError } from '@meridian/server/kernel/errors/meridian-error.ts';
import type { Invocation, RoleCli } from '@meridian/server/roles/role-commands.ts';
import { type CommandTable, commandTable, lookup } from './command-table.ts';
import { commandHelp, groupHelp, mainHelp, settingsHelp } from './help.ts';
import { parseCommand } from './parse.ts';
import { progressBar } from './progress-bar.ts';

/** Where the command runs and how the user started it. */
export type CliIo = Pick<Invocation, 'cwd' | 'self' | 'stdout' | 'stderr' | 'stdin'>;

const isHelpFlag = (a: string) => a === '--help' || a === '-h';

/** The words before the first option: the command's name, then its first arguments. */
function leadingWords(argv: readonly string[]): string[] {
  const end = argv.findIndex((a) => a.startsWith('-') && a !== '-');
  return end === -1 ? [...argv] : argv.slice(0, end);
}

function unknownCommand(table: CommandTable, words: readonly string[]): UsageError {
  return new UsageError(
    `${table.role.program}: unknown command '${words.join(' ')}'. The commands: ${[...table.groups.keys()].join(', ')} (${table.role.program} help).`,
  );
}

/** `meridian help [TOPIC]`: the program, a group, a command, or the settings flags. */
function help(table: CommandTable, topic: readonly string[], io: CliIo): number {
  if (topic.length === 0) io.stdout.write(mainHelp(table));
  else if (topic.length === 1 && topic[0] === 'settings') io.stdout.write(settingsHelp(table));
  else {
    const found = lookup(table, topic);
    const used = found.kind === 'command' ? found.words : 1;
    if (found.kind === 'unknown' || used < topic.length) throw unknownCommand(table, topic);
    io.stdout.write(
      found.kind === 'group'
        ? groupHelp(table, found.group)
        : commandHelp(found.command.spec, table.role.program),
    );
  }
  return 0;
}

async function dispatch(table: CommandTable, argv: string[], io: CliIo): Promise<number> {
  const words = leadingWords(argv);
  const helpAsked = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined).some(isHelpFlag);
  if (words[0] === 'help') return help(table, words.slice(1), io);
  if (words.length === 0) {
    if (argv.length === 0 || helpAsked) return help(table, [], io);
    throw new UsageError(
      `${table.role.program}: ${argv[0]} comes before the command; write the command first: ${table.role.program} COMMAND [ARGUMENTS] [OPTIONS] (${table.role.program} help lists the commands).`,
    );
  }
  const found = lookup(table, words);
  if (found.kind === 'unknown') throw unknownCommand(table, words.slice(0, 1));
  if (found.kind === 'group') {
    if (helpAsked) return help(table, [found.group], io);
    const what = words[1] === undefined ? 'which one?' : `unknown command '${words.slice(0, 2).join(' ')}'.`;
    throw new UsageError(`${table.role.program} ${found.group}: ${what}\n${groupHelp(table, found.group)}`);
  }
  const { spec, run } = found.command;
  if (helpAsked) return help(table, spec.name.split(' '), io);
  const parsed = parseCommand(spec, argv.slice(found.words), table.role.settings, io.cwd, table.role.program);
  return run({
    ...io,
    args: parsed.args,
    options: parsed.options,
    settings: parsed.settings,
    progress: (label) => progressBar({ label, stream: io.stderr }),
  });
}

/** The line and exit code of a failure the user can act on; undefined for a bug (rethrown). */
function failure(err: unknown): { line: string; code: number } | undefined {
  if (err instanceof UsageError) return { line: err.message, code: 2 };
  if (err instanceof CliFileError) return { line: `meridian: ${err.message}`, code: 1 };
  if (isMeridianError(err)) return { line: `meridian: ${err.message} [${err.code}]`, code: 1 };
  const file = fileErrorLine(err);
  if (file) return { line: `meridian: ${file}`, code: 1 };
  return undefined;
}

/** Runs one command line; resolves to the exit code. */
export async function run(argv: string[], io: CliIo, role: RoleCli): Promise<number> {
  const table = commandTable(role);
  try {
    return await dispatch(table, argv, io);
  } catch (err) {
    const f = failure(err);
    if (!f) throw err;
    io.stderr.write(`${f.line.replace(/\n*$/, '')}\n`);
    return f.code;
  }
}
