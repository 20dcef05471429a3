/**
 * The README's "Command line" section names every command, subcommand and flag the command
 * prints in its help, and nothing that does not exist.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CERT_USAGE } from './cert.ts';
import { DOCTOR_USAGE } from './doctor.ts';
import { JOBS_USAGE } from './jobs.ts';
import { START_USAGE } from './start.ts';
import { root } from './test-cli.ts';
import { TRUST_USAGE } from './trust.ts';
import { USAGE as USERS_USAGE } from './users.ts';

const USAGES: Record<string, string> = {
  start: START_USAGE,
  cert: CERT_USAGE,
  trust: TRUST_USAGE,
  users: USERS_USAGE,
  doctor: DOCTOR_USAGE,
  jobs: JOBS_USAGE,
};

/** "meridian cert list|show …" lines → command → its subcommands. */
function subcommands(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of text.matchAll(/meridian (\w+)(?: ([a-z-]+(?:\|[a-z-]+)*))?/g)) {
    const subs = out.get(m[1]!) ?? new Set<string>();
    for (const s of m[2]?.split('|') ?? []) subs.add(s);
    out.set(m[1]!, subs);
  }
  return out;
}

const flags = (text: string) => new Set(text.match(/--[a-z][a-z-]*/g) ?? []);

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('## Command line'),
  readme.indexOf('\n## ', readme.indexOf('## Command line') + 1),
);

test('the README names every command, subcommand and flag of the help texts', () => {
  assert.ok(section.length > 100, 'the README has a "Command line" section');
  const documented = subcommands(section);
  const documentedFlags = flags(section);
  for (const [command, usage] of Object.entries(USAGES)) {
    for (const [name, subs] of subcommands(usage)) {
      if (name !== command) continue;
      for (const sub of subs)
        if (!['https', 'help'].includes(sub))
          assert.ok(documented.get(command)?.has(sub), `README: meridian ${command} ${sub}`);
    }
    for (const flag of flags(usage))
      assert.ok(documentedFlags.has(flag), `README: ${flag} (meridian ${command})`);
  }
});

test('every command and subcommand the README names exists', () => {
  const known = new Map(
    Object.entries(USAGES).map(([c, u]) => [c, subcommands(u).get(c) ?? new Set<string>()]),
  );
  for (const [command, subs] of subcommands(readme)) {
    if (command === 'help' || command === 'COMMAND') continue;
    assert.ok(known.has(command), `the README names meridian ${command}, which does not exist`);
    for (const sub of subs)
      if (!['https', 'help'].includes(sub))
        assert.ok(
          known.get(command)!.has(sub),
          `the README names meridian ${command} ${sub}, which does not exist`,
        );
  }
});
