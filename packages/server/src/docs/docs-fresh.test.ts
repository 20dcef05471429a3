import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generateDocs } from './generate.ts';

test('the committed references in docs/ match the code (run npm run docs)', async () => {
  const docs = await generateDocs();
  for (const [path, text] of Object.entries(docs)) {
    const current = readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');
    assert.equal(current, text, `${path} is out of date: run npm run docs`);
  }
});
