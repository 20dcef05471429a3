import type { FastifyInstance } from 'fastify';
import type { Migration } from 'kysely';
import type { SettingDef } from './config/setting-def.ts';
import type { Kernel } from './kernel.ts';

/** What a module gives the role that composes it. */
export interface ModuleParts<Api> {
  /** Its public API: the only way other modules reach it (passed to them as dependencies). */
  api: Api;
  /** Registers its routes. */
  routes?(app: FastifyInstance): void | Promise<void>;
  /** Starts its background work (renewals, refreshes, schedules) once the node serves. */
  start?(): void | Promise<void>;
  /** Stops that work; called before the kernel closes. */
  stop?(): void | Promise<void>;
}

/** An option of a command: parsed with node:util parseArgs, described in the generated help. */
export interface CommandOption {
  type: 'string' | 'boolean';
  description: string;
  /** For string options: what the value is, in the help (FILE, N, HOST). */
  valueName?: string;
  short?: string;
  /** Must be given (a usage error otherwise); the help writes it without brackets. */
  required?: boolean;
}

/** What a command gets when it runs. */
export interface CommandContext<Api> {
  /** The positional arguments after the command's words. */
  args: string[];
  /** Its own options (the settings flags are the role's, already applied to the configuration). */
  options: Record<string, string | boolean | undefined>;
  /** The directory the user ran the command in: relative paths resolve against it. */
  cwd: string;
  /** Opens the node on its data directory (kernel, migrations, modules; nothing listens) once. */
  open(): Promise<{ kernel: Kernel; api: Api }>;
  /**
   * A command line for the user to run next, `meridian WORDS` as they run meridian (npm run …
   * or the bin), followed by the settings flags this command was given (paths made absolute),
   * so that pasted as it is it works on the same data.
   */
  commandLine(words: readonly string[]): string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** A progress bar on stderr (the CLI's, as `meridian jobs watch` draws it); absent: none. */
  progress?: ((label: string) => ProgressDisplay) | undefined;
}

/** A progress bar a command draws while it waits (for a job). */
export interface ProgressDisplay {
  update(p: { done: number; total: number | null; message: string }): void;
  /** Draws the last state and ends the line. */
  stop(): void;
}

/** A `meridian` command a module contributes (its help is generated from this). */
export interface CommandSpec<Api> {
  /** The words after `meridian`, for example 'cert list' or 'users add'. */
  name: string;
  /** One line, for the list of commands. */
  summary: string;
  /** Positional arguments in order, as the help writes them: 'ALIAS', 'FILE', '[HOST]'. */
  args?: readonly string[];
  options?: Readonly<Record<string, CommandOption>>;
  /** More help: what it does, what to know. */
  description?: string;
  /** Resolves to the exit code (default 0). */
  run(ctx: CommandContext<Api>): Promise<number | undefined>;
}

/**
 * A domain module: one folder owning its tables (and their migrations), its settings, its
 * routes, its background work and its errors. `create` gets the kernel and the APIs of the
 * modules it depends on — never anything else.
 */
export interface Module<Api = unknown, Deps = Record<string, never>> {
  readonly name: string;
  /** The tables it owns; no other module may query them (see the boundary test). */
  readonly tables: readonly string[];
  /** Its migrations, by name; names are unique across modules and sort in the order applied. */
  readonly migrations: Readonly<Record<string, Migration>>;
  /** Its settings; a role's configuration schema is the kernel's plus its modules'. */
  readonly settings: readonly SettingDef[];
  /** Its `meridian` commands; they run against its API on the node's data directory. */
  readonly commands?: readonly CommandSpec<Api>[];
  create(kernel: Kernel, deps: Deps): ModuleParts<Api> | Promise<ModuleParts<Api>>;
}

/** Checks a module definition's shape where it is written. */
export function defineModule<Api, Deps = Record<string, never>>(m: Module<Api, Deps>): Module<Api, Deps> {
  return m;
}
