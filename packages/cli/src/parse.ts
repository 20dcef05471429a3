/**
 * One command's part of a command line, parsed with node:util parseArgs (strict): its own
 * options, the role's settings flags and its positional arguments (-h and --help are the
 * runner's). Whatever does not fit is a UsageError naming it.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '@meridian/server/cli/usage-error.ts';
import type { SettingDef } from '@meridian/server/kernel/config/setting-def.ts';
import type { CommandHelp } from '@meridian/server/roles/role-commands.ts';
import { usageLines } from './help.ts';
import { settingsFlag, settingsOptions } from './settings-flags.ts';

export interface ParsedCommand {
  args: string[];
  /** Its own options only. */
  options: Record<string, string | boolean | undefined>;
  /** The settings flags given, in order, --home and --config absolute. */
  settings: (readonly [string, string])[];
}

type Options = NonNullable<ParseArgsConfig['options']>;

function parseOptions(spec: CommandHelp, settings: readonly SettingDef[]): Options {
  const options: Options = { ...settingsOptions(settings) };
  for (const [name, o] of Object.entries(spec.options ?? {}))
    options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  return options;
}

/** Where to read about the options of `spec`. */
const seeHelp = (spec: CommandHelp, program: string) =>
  `See ${program} ${spec.name} --help; the settings flags every command takes: ${program} help settings.`;

/** Every option the command line gives that the command does not know, as written (--frob, -x). */
function unknownOptions(argv: string[], options: Options): string[] {
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const unknown = tokens.flatMap((t) => (t.kind === 'option' && !(t.name in options) ? [t.rawName] : []));
  return [...new Set(unknown)];
}

function checkArgs(spec: CommandHelp, args: string[], program: string): void {
  const declared = spec.args ?? [];
  const required = declared.filter((a) => !a.startsWith('['));
  const variadic = declared.at(-1)?.endsWith('...') ?? false;
  if (args.length < required.length)
    throw new UsageError(
      `${program} ${spec.name}: ${required[args.length]} is missing.\nUsage:\n${usageLines(spec, '  ', program).join('\n')}\n${seeHelp(spec, program)}`,
    );
  if (!variadic && args.length > declared.length)
    throw new UsageError(
      `${program} ${spec.name}: too many arguments: ${args
        .slice(declared.length)
        .map((a) => `'${a}'`)
        .join(' ')}${declared.length ? ` (it takes ${declared.join(' ')})` : ' (it takes none)'}.`,
    );
}

export function parseCommand(
  spec: CommandHelp,
  argv: string[],
  settings: readonly SettingDef[],
  cwd: string,
  program = 'meridian',
): ParsedCommand {
  const options = parseOptions(spec, settings);
  const unknown = unknownOptions(argv, options);
  if (unknown.length)
    throw new UsageError(
      `${program} ${spec.name}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}. ${seeHelp(spec, program)}`,
    );
  let parsed: ReturnType<typeof parseArgs<{ options: Options; allowPositionals: true; tokens: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true, tokens: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw err;
    throw new UsageError(`${program} ${spec.name}: ${(err as Error).message.replace(/\n/g, ' ')}`);
  }
  const own: ParsedCommand['options'] = {};
  for (const name of Object.keys(spec.options ?? {})) own[name] = parsed.values[name] as string | boolean;
  const given = new Map<string, string>();
  for (const t of parsed.tokens) if (t.kind === 'option' && !(t.name in own)) given.set(t.name, t.value!);
  const result = {
    args: parsed.positionals,
    options: own,
    settings: [...given].map(([name, value]) => settingsFlag(name, value, cwd)),
  };
  checkArgs(spec, result.args, program);
  for (const [name, o] of Object.entries(spec.options ?? {}))
    if (o.required && own[name] === undefined)
      throw new UsageError(`${program} ${spec.name}: --${name} is required. ${seeHelp(spec, program)}`);
  return result;
}
