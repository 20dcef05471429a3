// npm run docs: writes docs/config.md, docs/errors.md and docs/openapi.json from the code.
// With --check, exits 1 when a committed reference is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { generateDocs } from '../packages/server/src/docs/generate.ts';

const check = process.argv.includes('--check');
const docs = await generateDocs();
let stale = 0;
for (const [path, text] of Object.entries(docs)) {
  const url = new URL(`../${path}`, import.meta.url);
  if (check) {
    let current = '';
    try {
      current = readFileSync(url, 'utf8');
    } catch {}
    if (current !== text) {
      console.error(`${path} is out of date: run npm run docs`);
      stale++;
    }
  } else {
    writeFileSync(url, text);
    console.log(`wrote ${path}`);
  }
}
process.exit(stale ? 1 : 0);
