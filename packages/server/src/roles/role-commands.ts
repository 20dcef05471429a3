/**
 * A role's `meridian` commands: its modules' (each runs against its module's API on a node of
 * the role), the kernel's (against the kernel) and the role's own (start). The runner in
 * packages/cli parses a command line against them and generates the help from their specs.
 */
import { shellWords } from '../cli/shell-words.ts';
import type { SettingDef } from '../kernel/config/setting-def.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { CommandContext, CommandSpec } from '../kernel/module.ts';
import type { AnyModule } from './compose.ts';

/** How the user called a command, as the runner parsed it. */
export interface Invocation extends Omit<CommandContext<never>, 'open' | 'commandLine'> {
  /** The settings flags given, in order (['--home', '/abs/dir']), --home and --config absolute. */
  readonly settings: ReadonlyArray<readonly [flag: string, value: string]>;
  /** How the user runs meridian, for command lines printed for them: 'meridian', 'npm run --silent meridian --'. */
  readonly self: string;
}

/** A command's spec without its run: what parsing and the help need. */
export type CommandHelp = Omit<CommandSpec<never>, 'run'>;

/** A command as a role offers it. */
export interface RoleCommand {
  readonly spec: CommandHelp;
  /** Where it comes from: a module's name, 'kernel', or the role's name for its own. */
  readonly from: string;
  /** Resolves to the exit code. */
  run(inv: Invocation): Promise<number>;
}

/** What a role offers the `meridian` command. */
export interface RoleCli {
  readonly name: string;
  /** How its commands are written: 'meridian' (the portal), 'meridian server' (a GIS server). */
  readonly program: string;
  /** Further lines of the command list (another role's entry point). */
  readonly seeAlso?: readonly (readonly [command: string, summary: string])[];
  /** Its configuration schema: each setting is a flag every command takes. */
  readonly settings: readonly SettingDef[];
  readonly commands: readonly RoleCommand[];
}

/** A node of the role, opened for a command: nothing listens. */
export interface CommandNode {
  readonly kernel: Kernel;
  /** Its modules' APIs by module name. */
  readonly modules: Readonly<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Opens a node of the role with these settings flags ('--home' → value). */
export type OpenCommandNode = (settings: Readonly<Record<string, string>>) => Promise<CommandNode>;

/** `meridian WORDS` as the user runs meridian, with the settings flags the command was given. */
export function commandLine(inv: Invocation, words: readonly string[]): string {
  return `${inv.self} ${shellWords([...words, ...inv.settings.flat()])}`;
}

/**
 * The spec as a role command: its context opens the node on first use of open() (a command
 * that fails before, on a usage error or a file it cannot read, opens nothing) and the node is
 * closed once the command ends.
 */
function bind<Api>(
  spec: CommandSpec<Api>,
  from: string,
  openNode: OpenCommandNode,
  pick: (node: CommandNode) => Api,
): RoleCommand {
  const { run, ...help } = spec;
  return {
    spec: help,
    from,
    async run(inv) {
      let opening: Promise<CommandNode> | undefined;
      const ctx: CommandContext<Api> = {
        args: inv.args,
        options: inv.options,
        cwd: inv.cwd,
        stdout: inv.stdout,
        stderr: inv.stderr,
        stdin: inv.stdin,
        progress: inv.progress,
        commandLine: (words) => commandLine(inv, words),
        async open() {
          opening ??= openNode(Object.fromEntries(inv.settings));
          const node = await opening;
          return { kernel: node.kernel, api: pick(node) };
        },
      };
      try {
        return (await run(ctx)) ?? 0;
      } finally {
        const node = await opening?.catch(() => undefined);
        await node?.close();
      }
    },
  };
}

/** The commands of the role's modules, each run against its module's API. */
export function moduleCommands(modules: readonly AnyModule[], openNode: OpenCommandNode): RoleCommand[] {
  return modules.flatMap((m) =>
    (m.commands ?? []).map((spec) =>
      bind(spec, m.name, openNode, (node) => {
        if (!(m.name in node.modules))
          throw new Error(`the node of this role has no API of module ${m.name}`);
        return node.modules[m.name];
      }),
    ),
  );
}

/** The kernel's commands (jobs), each run against the kernel of a node of the role. */
export function kernelCommands(
  specs: readonly CommandSpec<Kernel>[],
  openNode: OpenCommandNode,
): RoleCommand[] {
  return specs.map((spec) => bind(spec, 'kernel', openNode, (node) => node.kernel));
}
