/**
 * The commands of a role, looked up by the words after `meridian`: 'cert list' is the command
 * list of the group cert; 'doctor' is a command of one word. Checks what would make a command
 * line ambiguous (two commands of one name, an option that hides a settings flag) when it is
 * built, so that a module cannot add a command that parses wrongly.
 */
import type { RoleCli, RoleCommand } from '@meridian/server/roles/role-commands.ts';
import { settingsOptions } from './settings-flags.ts';

export interface CommandTable {
  readonly role: RoleCli;
  /** By name: 'cert list', 'doctor'. */
  readonly byName: ReadonlyMap<string, RoleCommand>;
  /** By first word, in the order the role lists them: 'cert' → cert list, cert show, … */
  readonly groups: ReadonlyMap<string, readonly RoleCommand[]>;
}

export type Lookup =
  | { kind: 'command'; command: RoleCommand; words: number }
  | { kind: 'group'; group: string }
  | { kind: 'unknown' };

const NAME = /^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)?$/;

function check(role: RoleCli): void {
  const settings = new Set(Object.keys(settingsOptions(role.settings)));
  const names = new Set<string>();
  for (const { spec, from } of role.commands) {
    const where = `command '${spec.name}' of ${from}`;
    if (!NAME.test(spec.name)) throw new Error(`${where}: a name is one or two lowercase words`);
    if (spec.name === 'help' || spec.name.startsWith('help '))
      throw new Error(`${where}: help is the runner's`);
    if (names.has(spec.name)) throw new Error(`${where}: another command has that name`);
    names.add(spec.name);
    const shorts = new Set<string>(['h']);
    for (const [option, o] of Object.entries(spec.options ?? {})) {
      if (option === 'help' || settings.has(option))
        throw new Error(
          `${where}: option --${option} hides ${option === 'help' ? '--help' : 'a settings flag'}`,
        );
      if (o.short !== undefined && (o.short.length !== 1 || shorts.has(o.short)))
        throw new Error(`${where}: short option -${o.short} is not one unused letter`);
      if (o.short) shorts.add(o.short);
    }
  }
  for (const name of names)
    if (!name.includes(' ') && [...names].some((n) => n.startsWith(`${name} `)))
      throw new Error(`command '${name}' is also the name of a group of commands`);
}

export function commandTable(role: RoleCli): CommandTable {
  check(role);
  const byName = new Map(role.commands.map((c) => [c.spec.name, c]));
  const groups = new Map<string, RoleCommand[]>();
  for (const c of role.commands) {
    const first = c.spec.name.split(' ')[0]!;
    groups.set(first, [...(groups.get(first) ?? []), c]);
  }
  return { role, byName, groups };
}

/** The command the first words name (and how many words its name has), a group, or nothing. */
export function lookup(table: CommandTable, words: readonly string[]): Lookup {
  const [first, second] = words;
  if (first === undefined) return { kind: 'unknown' };
  const two = second === undefined ? undefined : table.byName.get(`${first} ${second}`);
  if (two) return { kind: 'command', command: two, words: 2 };
  const one = table.byName.get(first);
  if (one) return { kind: 'command', command: one, words: 1 };
  if (table.groups.has(first)) return { kind: 'group', group: first };
  return { kind: 'unknown' };
}
