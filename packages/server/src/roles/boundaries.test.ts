/**
 * The module boundaries, checked on the source: a module reaches another only through its
 * public file (module.ts), never a deep import; the kernel and the HTTP layer import no module;
 * and no module queries a table another module (or the kernel) owns. Tests and migrations are
 * exempt (tests wire modules together; a migration may move data between owners once).
 */
import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { kernelTables } from '../kernel/migrations.ts';
import { gisServerModules } from './gis-server.ts';
import { portalModules } from './portal.ts';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Source {
  /** Relative to packages/server/src, with '/'. */
  path: string;
  text: string;
}

function isExempt(path: string): boolean {
  const name = path.split('/').pop()!;
  return name.endsWith('.test.ts') || name.startsWith('test-') || name.startsWith('migration');
}

/** What modules are written against (the kernel, the HTTP layer, the command layer): they import no module. */
const LAYERS = new Set(['kernel', 'http', 'cli']);

/** The top folder of a path: a module's name, or kernel, http, cli, roles, docs. */
const ownerOf = (path: string) => path.split('/')[0]!;

function importProblems(sources: Source[], moduleNames: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const { path, text } of sources) {
    if (isExempt(path)) continue;
    const from = ownerOf(path);
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const target = join(dirname(path), m[1]!).split(sep).join('/');
      const to = ownerOf(target);
      if (to === from || !moduleNames.has(to)) continue;
      const where = `${path} imports ${target}`;
      if (LAYERS.has(from)) problems.push(`${where}: the ${from} imports no module`);
      else if (moduleNames.has(from) && target !== `${to}/module.ts`)
        problems.push(`${where}: a deep import into module ${to} (import its module.ts)`);
    }
  }
  return problems;
}

function tableProblems(sources: Source[], ownerOfTable: ReadonlyMap<string, string>): string[] {
  const names = [...ownerOfTable.keys()].join('|');
  const kysely = new RegExp(
    `(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin)\\(\\s*'(${names})(?: as \\w+)?'`,
    'g',
  );
  const raw = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE)\\s+(${names})\\b`, 'g');
  const problems: string[] = [];
  for (const { path, text } of sources) {
    if (isExempt(path)) continue;
    const from = ownerOf(path);
    for (const re of [kysely, raw])
      for (const m of text.matchAll(re)) {
        const owner = ownerOfTable.get(m[1]!);
        if (owner !== from) problems.push(`${path} queries ${m[1]}, a table of ${owner}`);
      }
  }
  return problems;
}

const sources: Source[] = globSync('**/*.ts', { cwd: SRC }).map((f) => ({
  path: f.split(sep).join('/'),
  text: readFileSync(join(SRC, f), 'utf8'),
}));
const allModules = [...new Set([...portalModules, ...gisServerModules])];
const moduleNames = new Set(allModules.map((m) => m.name));
const ownerOfTable = new Map<string, string>(kernelTables.map((t) => [t, 'kernel']));
for (const m of allModules)
  for (const t of m.tables) {
    assert.ok(!ownerOfTable.has(t), `table ${t} is claimed by ${ownerOfTable.get(t)} and ${m.name}`);
    ownerOfTable.set(t, m.name);
  }

test('the roles are made of these modules, each in its own folder with a module.ts', () => {
  assert.deepEqual([...moduleNames].sort(), [
    'collaboration',
    'content',
    'federations',
    'gis-server',
    'identity',
    'oauth',
    'pki',
    'portal',
    'saml',
    'servers',
    'tls',
    'tokens',
  ]);
  for (const name of moduleNames)
    assert.ok(
      sources.some((s) => s.path === `${name}/module.ts`),
      name,
    );
});

test('a module imports another only through its module.ts; the kernel, http and cli import no module', () => {
  assert.deepEqual(importProblems(sources, moduleNames), []);
});

test('no module (nor the kernel) queries a table it does not own', () => {
  assert.deepEqual(tableProblems(sources, ownerOfTable), []);
});

test('the checks find what they look for', () => {
  const made: Source[] = [
    { path: 'content/owners.ts', text: "import { findUserByUsername } from '../identity/users-store.ts';" },
    { path: 'content/ok.ts', text: "import type { IdentityApi } from '../identity/module.ts';" },
    { path: 'kernel/bad.ts', text: "import { pkiModule } from '../pki/module.ts';" },
    { path: 'cli/bad.ts', text: "import type { PkiApi } from '../pki/module.ts';" },
    { path: 'content/owners.test.ts', text: "import { x } from '../identity/users-store.ts';" },
    { path: 'content/count.ts', text: "db.selectFrom('users as u').select('id'); db.deleteFrom('items');" },
    { path: 'tls/raw.ts', text: 'sql`SELECT value FROM portal_settings WHERE key = 1`' },
    { path: 'tls/migration-move.ts', text: 'sql`DELETE FROM portal_settings`' },
  ];
  assert.deepEqual(importProblems(made, moduleNames), [
    'content/owners.ts imports identity/users-store.ts: a deep import into module identity (import its module.ts)',
    'kernel/bad.ts imports pki/module.ts: the kernel imports no module',
    'cli/bad.ts imports pki/module.ts: the cli imports no module',
  ]);
  assert.deepEqual(tableProblems(made, ownerOfTable), [
    'content/count.ts queries users, a table of identity',
    'tls/raw.ts queries portal_settings, a table of portal',
  ]);
});
