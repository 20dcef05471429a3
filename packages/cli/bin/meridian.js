#!/usr/bin/env node
// The `meridian` command. Plain JavaScript that older Node.js versions parse, because the
// machine's Node may be older than the one the portal needs: it runs the TypeScript entry
// point in a child process with a Node.js that can: the Node 24 the repository pins in
// node_modules/node, else this Node if it strips types by itself, else Node 22.13–22.17 with
// --experimental-strip-types.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** node_modules/node/bin/node in this package or any folder above it (npm hoists it to the root). */
function pinnedNode() {
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const candidate = join(
      dir,
      'node_modules',
      'node',
      'bin',
      process.platform === 'win32' ? 'node.exe' : 'node',
    );
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function version() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return { major, minor };
}

/** The Node.js to run the entry point with, and the flags it needs; undefined when there is none. */
function runtime() {
  const pinned = pinnedNode();
  if (pinned) return { node: pinned, flags: [] };
  if (process.features.typescript) return { node: process.execPath, flags: [] };
  const { major, minor } = version();
  if (major === 22 && minor >= 13) return { node: process.execPath, flags: ['--experimental-strip-types'] };
  return undefined;
}

const run = runtime();
if (!run) {
  process.stderr.write(
    `meridian: needs Node.js 22.13 or later (this is ${process.version}): run npm install in the Meridian repository (it installs Node 24 for its commands), or install Node.js 22.13+.\n`,
  );
  process.exit(1);
}
// node:sqlite (and type stripping on Node 22) are flagged experimental on every start.
const child = spawn(
  run.node,
  [...run.flags, '--disable-warning=ExperimentalWarning', entry, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
// Ctrl-C reaches the child from the terminal (same process group): wait for it to stop.
// Signals sent to this process alone (kill, a service manager) are passed on.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => {
  process.stderr.write(`meridian: cannot run ${run.node}: ${err.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (!signal) process.exit(code ?? 1);
  // Die of the same signal, as a shell expects.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
});
