/**
 * Every `meridian …` command line that the README, the error catalogue's fixes and the
 * commands' own help texts tell the user to run names a command that exists, with options it
 * has (or settings flags): renaming a command or an option cannot leave a stale hint behind.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { catalogue } from '@meridian/server/kernel/errors/meridian-error.ts';
import { gisServerCli } from '@meridian/server/roles/gis-server-commands.ts';
import { portalCli } from '@meridian/server/roles/portal-commands.ts';
import { type CommandTable, commandTable, lookup } from '../command-table.ts';
import { settingsOptions } from '../settings-flags.ts';
import { jobsCommands } from './jobs-commands.ts';
import { root } from './test-cli.ts';

const table = commandTable(portalCli(jobsCommands()));
/** `meridian server …`: the GIS server role's commands. */
const serverTable = commandTable(gisServerCli());
const settingsOf = (t: CommandTable) => new Set(Object.keys(settingsOptions(t.role.settings)));

/** The problems of one mention: `meridian WORDS… --options` or `meridian server WORDS… --options`. */
function problems(where: string, mention: string): string[] {
  const all = mention.split(/\s+/);
  const server = all[1] === 'server';
  const t = server ? serverTable : table;
  const program = t.role.program;
  const words = server ? all.slice(1) : all;
  const names = words.slice(1).filter((w) => /^[a-z][a-z-]*$/.test(w));
  // `meridian server` on its own (or with settings flags) starts a GIS server.
  const command = server && names.length === 0 ? ['start'] : names;
  if (command[0] === 'help' || command[0] === 'COMMAND' || command.length === 0) return [];
  const found = lookup(t, command);
  if (found.kind === 'unknown') return [`${where}: ${program} ${command[0]} does not exist`];
  if (found.kind === 'group')
    return command.length > 1 && !/^[A-Z]/.test(words[2] ?? '')
      ? [`${where}: ${program} ${command.slice(0, 2).join(' ')} does not exist`]
      : [];
  const options = new Set(Object.keys(found.command.spec.options ?? {}));
  const settings = settingsOf(t);
  return words
    .filter((w) => w.startsWith('--') && w.length > 2)
    .map((w) => w.slice(2).split('=')[0]!)
    .filter((o) => !options.has(o) && !settings.has(o))
    .map((o) => `${where}: ${program} ${found.command.spec.name} has no option --${o}`);
}

/** Each `meridian …` in a text, up to the end of its backquotes, line or sentence. */
const mentions = (text: string) =>
  [...text.matchAll(/\bmeridian ([^`\n|>)]+)/g)].map((m) => `meridian ${m[1]!.trim()}`);

test('the README names existing commands and options', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const found = mentions(readme);
  assert.ok(found.length > 30, `${found.length} mentions`);
  assert.deepEqual(
    found.flatMap((m) => problems('README', m)),
    [],
  );
});

test('the fixes of the error catalogue name existing commands and options', () => {
  const found = [...catalogue.values()].flatMap((e) =>
    mentions(`${e.summary} ${e.fix}`).map((m) => [e.code, m]),
  );
  assert.ok(found.length >= 5, `${found.length} mentions`);
  assert.deepEqual(
    found.flatMap(([code, m]) => problems(code!, m!)),
    [],
  );
});

test("the commands' help texts name existing commands and options", () => {
  const found = [...table.role.commands, ...serverTable.role.commands].flatMap(({ spec }) =>
    mentions(`${spec.summary}\n${spec.description ?? ''}`).map((m) => [spec.name, m]),
  );
  assert.ok(found.length >= 3, `${found.length} mentions`);
  assert.deepEqual(
    found.flatMap(([name, m]) => problems(`meridian ${name} --help`, m!)),
    [],
  );
});

test('the check finds a command, a subcommand or an option that does not exist', () => {
  assert.deepEqual(problems('x', 'meridian frob list'), ['x: meridian frob does not exist']);
  assert.deepEqual(problems('x', 'meridian cert frob ALIAS'), ['x: meridian cert frob does not exist']);
  assert.deepEqual(problems('x', 'meridian cert use ALIAS --frob'), [
    'x: meridian cert use has no option --frob',
  ]);
  assert.deepEqual(problems('x', 'meridian cert use ALIAS --force --home DIR'), []);
  assert.deepEqual(problems('x', 'meridian cert COMMAND --help'), []);
  // The GIS server's commands are its own: it has no jobs, and the portal has no `server jobs`.
  assert.deepEqual(problems('x', 'meridian server jobs list'), ['x: meridian server jobs does not exist']);
  assert.deepEqual(problems('x', 'meridian server --home ./gis --frob'), [
    'x: meridian server start has no option --frob',
  ]);
  assert.deepEqual(problems('x', 'meridian server trust export-ca --home ./gis'), []);
});
