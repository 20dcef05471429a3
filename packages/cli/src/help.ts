/**
 * The help texts, generated from the role's command specs and settings: `meridian help`, a
 * group's (`meridian cert --help`), a command's (`meridian cert use --help`), the settings
 * flags (`meridian help settings`), and the synopsis the README shows.
 */
import { flagName } from '@meridian/server/kernel/config/load.ts';
import type { CommandOption } from '@meridian/server/kernel/module.ts';
import type { CommandHelp } from '@meridian/server/roles/role-commands.ts';
import type { CommandTable } from './command-table.ts';
import { CONFIG_FLAG, settingValueName } from './settings-flags.ts';
import { wrap } from './wrap.ts';

const WIDTH = 100;

const settingsNote = (program: string) =>
  `Every command also takes the settings flags, such as --home and --database-url: ${program} help settings lists them, docs/config.md describes them. Relative paths are taken from the directory you run ${program} in.`;

function optionUsage(name: string, o: CommandOption): string {
  const flag = o.type === 'boolean' ? `--${name}` : `--${name} ${o.valueName ?? 'VALUE'}`;
  return o.required ? flag : `[${flag}]`;
}

/** `meridian cert use ALIAS [--sni HOST] [--force]`, broken after 100 characters. */
export function usageLines(spec: CommandHelp, indent = '', program = 'meridian'): string[] {
  const head = `${indent}${program} ${spec.name}`;
  const parts = [
    ...(spec.args ?? []),
    ...Object.entries(spec.options ?? {}).map(([name, o]) => optionUsage(name, o)),
  ];
  const lines = [head];
  const hanging = ' '.repeat(head.length + 1);
  for (const part of parts) {
    const last = lines.length - 1;
    const line = lines[last]!;
    if (line !== head && line.length + 1 + part.length > WIDTH) lines.push(hanging + part);
    else lines[last] = `${line} ${part}`;
  }
  return lines;
}

/** The usage lines of every command, group by group: the README's synopsis. */
export function synopsis(table: CommandTable): string {
  return `${[...table.groups.values()].flatMap((cmds) => cmds.flatMap((c) => usageLines(c.spec, '', table.role.program))).join('\n')}\n`;
}

function columns(rows: readonly (readonly [string, string])[], indent: string): string[] {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.flatMap(([left, right]) =>
    wrap(right, WIDTH, indent + ' '.repeat(width), indent + left.padEnd(width)),
  );
}

export function mainHelp(table: CommandTable): string {
  const rows: [string, string][] = [...table.groups.values()].flatMap((cmds) =>
    cmds.map((c): [string, string] => [c.spec.name, c.spec.summary]),
  );
  const program = table.role.program;
  rows.push(...(table.role.seeAlso ?? []).map(([c, summary]): [string, string] => [c, summary]));
  rows.push(['help [COMMAND]', `This help, or the help of one command or group (${program} help cert).`]);
  return [
    table.role.name === 'portal'
      ? 'meridian — a self-hosted web GIS portal'
      : `${program} — the Meridian GIS server`,
    '',
    `Usage: ${program} COMMAND [ARGUMENTS] [OPTIONS]`,
    '',
    'Commands:',
    ...columns(rows, '  '),
    '',
    ...wrap(
      `'${program} COMMAND --help' shows the arguments and options of one command, '${program} GROUP --help' (for example ${program} cert --help) the commands of a group. ${settingsNote(program)}`,
      WIDTH,
    ),
    '',
  ].join('\n');
}

export function groupHelp(table: CommandTable, group: string): string {
  const cmds = table.groups.get(group) ?? [];
  return [
    'Usage:',
    ...cmds.flatMap((c) => [
      ...usageLines(c.spec, '  ', table.role.program),
      ...wrap(c.spec.summary, WIDTH, '      '),
    ]),
    '',
    ...wrap(
      `'${table.role.program} ${group} COMMAND --help' shows the options of one. ${settingsNote(table.role.program)}`,
      WIDTH,
    ),
    '',
  ].join('\n');
}

export function commandHelp(spec: CommandHelp, program = 'meridian'): string {
  const lines = ['Usage:', ...usageLines(spec, '  ', program), '', ...wrap(spec.summary, WIDTH)];
  for (const paragraph of spec.description?.split('\n') ?? []) lines.push('', ...wrap(paragraph, WIDTH));
  const rows: [string, string][] = Object.entries(spec.options ?? {}).map(([name, o]) => [
    `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`,
    `${o.description}${o.required ? ' Required.' : ''}`,
  ]);
  rows.push(['-h, --help', 'This help.']);
  lines.push('', 'Options:', ...columns(rows, '  '), '', ...wrap(settingsNote(program), WIDTH), '');
  return lines.join('\n');
}

export function settingsHelp(table: CommandTable): string {
  const rows: [string, string][] = [
    [
      `--${CONFIG_FLAG} FILE`,
      'The JSON config file to read instead of <home>/meridian.json (MERIDIAN_CONFIG).',
    ],
  ];
  for (const s of table.role.settings) {
    const def = s.secret || s.default === undefined || s.default === '' ? '' : `; default ${s.default}`;
    rows.push([`${flagName(s.key)} ${settingValueName(s)}`, `${s.description} (${s.env}${def})`]);
  }
  return [
    ...wrap(
      `The settings flags of the ${table.role.name}: every command takes them. A flag wins over the environment variable (in parentheses), which wins over the config file (<home>/meridian.json, or --config FILE); docs/config.md describes each setting.`,
      WIDTH,
    ),
    '',
    ...rows.flatMap(([flag, text]) => [`  ${flag}`, ...wrap(text, WIDTH, '      ')]),
    '',
  ].join('\n');
}
