/**
 * The README's "Command line" section shows the synopsis generated from the commands' specs
 * (the same text `meridian help` is made from), so the two cannot drift apart.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { portalCli } from '@meridian/server/roles/portal-commands.ts';
import { commandTable } from '../command-table.ts';
import { synopsis } from '../help.ts';
import { jobsCommands } from './jobs-commands.ts';
import { root } from './test-cli.ts';

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const start = readme.indexOf('## Command line');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

test("the README's command list is the synopsis generated from the portal's command specs", () => {
  assert.ok(start >= 0, 'the README has a "Command line" section');
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the section starts with a code block listing the commands');
  const generated = synopsis(commandTable(portalCli(jobsCommands())));
  assert.equal(block, generated, `replace the README's command list with:\n${generated}`);
});

test('the synopsis names every command of the role, each with its arguments and options', () => {
  const role = portalCli(jobsCommands());
  const text = synopsis(commandTable(role));
  for (const { spec } of role.commands) {
    const line = text.slice(text.indexOf(`meridian ${spec.name}`)).split(/\nmeridian /)[0]!;
    for (const arg of spec.args ?? []) assert.ok(line.includes(` ${arg}`), `${spec.name}: ${arg}`);
    for (const name of Object.keys(spec.options ?? {}))
      assert.match(line, new RegExp(`--${name}\\b`), `${spec.name}: --${name}`);
  }
});
