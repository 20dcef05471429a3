import { resolve } from 'node:path';
import { type Config, loadFromProcess } from '@meridian/server/kernel/config/load.ts';
import { portalSettings } from '@meridian/server/roles/portal.ts';
import { shellWords } from './shell-words.ts';
import { UsageError } from './usage-error.ts';

/** What every command needs to know about how the user called it. */
export interface CliContext {
  /** The directory the user ran the command in: relative paths resolve against it. */
  cwd: string;
  /** The command line prefix the user can paste to run meridian again the same way. */
  self: string;
}

/** Settings flags that name files or directories. */
const PATH_FLAGS = ['--home', '--config'];

type Flags = Record<string, string | boolean>;

/** The settings flags with relative --home and --config paths taken from the user's directory. */
export function settingsFlags(flags: Flags, ctx: CliContext): Flags {
  const resolved = { ...flags };
  for (const name of PATH_FLAGS) {
    const v = resolved[name];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new UsageError(`${name} needs a value (a path).`);
    resolved[name] = resolve(ctx.cwd, v);
  }
  return resolved;
}

/** The configuration from the settings flags (see settingsFlags) and the environment. */
export function loadSettings(flags: Flags, ctx: CliContext): Config {
  return loadFromProcess(settingsFlags(flags, ctx), portalSettings);
}

/**
 * A command line to print for the user to run next: `words`, then the settings flags this
 * command was given (paths made absolute), so that it works on the same data as pasted.
 */
export function nextCommand(ctx: CliContext, words: readonly string[], settings: Flags): string {
  const out = [...words];
  for (const [name, value] of Object.entries(settingsFlags(settings, ctx)))
    out.push(...(value === true ? [name] : [name, String(value)]));
  return `${ctx.self} ${shellWords(out)}`;
}
