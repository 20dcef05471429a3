/**
 * The web UI's API types come from the server's route schemas, imported type-only: the
 * bundle must carry no server code (TypeBox, route schemas), only their Static types.
 */
import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const WEB_SRC = fileURLToPath(new URL('../../../web/src/', import.meta.url));

test('the web UI imports the server only for types, and its API types come from the server schemas', () => {
  const valueImports: string[] = [];
  const fromServer = new Set<string>();
  for (const file of globSync('**/*.{ts,tsx}', { cwd: WEB_SRC })) {
    const text = readFileSync(`${WEB_SRC}${file}`, 'utf8');
    for (const m of text.matchAll(
      /^(import|export)\s+(type\s+)?[^;]*?from\s+'(@meridian\/server\/[^']+)'/gms,
    )) {
      fromServer.add(m[3]!);
      if (!m[2]) valueImports.push(`${file}: ${m[0].split('\n')[0]}`);
    }
  }
  assert.deepEqual(valueImports, [], 'only `import type` / `export type` from @meridian/server');
  for (const schemas of [
    '@meridian/server/content/schemas.ts',
    '@meridian/server/identity/schemas.ts',
    '@meridian/server/kernel/jobs/schemas.ts',
    '@meridian/server/kernel/pipeline/schemas.ts',
    '@meridian/server/oauth/apps/schemas.ts',
    '@meridian/server/pki/schemas.ts',
    '@meridian/server/tokens/schemas.ts',
  ])
    assert.ok(fromServer.has(schemas), `the web UI's API types use ${schemas}`);
});
