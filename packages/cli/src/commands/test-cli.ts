/** Runs the real `meridian` command in a child process, as an administrator would (for the CLI tests). */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const root = join(import.meta.dirname, '../../../..');
const nodeBin = join(root, 'node_modules/.bin/node');
const mainTs = join(root, 'packages/cli/src/main.ts');
/** The bin shim npm links as node_modules/.bin/meridian. */
export const shim = join(root, 'packages/cli/bin/meridian.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string;
  cwd?: string;
  /** Replaces the environment (default: this process's, with the npm variables of `npm test` removed). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The environment of a user's shell: this process's, without what `npm test` adds (npm_*
 * variables, INIT_CWD, node_modules/.bin in PATH), so that the command finds the machine's
 * Node and decides for itself where the user is.
 */
export function shellEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('npm_') && k !== 'INIT_CWD' && k !== 'NODE_OPTIONS') env[k] = v;
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((p) => !p.includes('node_modules'))
    .join(delimiter);
  return { ...env, MERIDIAN_LOG_LEVEL: 'silent', ...extra };
}

/** The machine's `node` (the first on PATH outside node_modules), or undefined. */
export function systemNode(): string | undefined {
  for (const dir of (shellEnv().PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** Runs `command args` and collects its output. */
export function runCommand(command: string, args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd ?? root,
      env: opts.env ?? { ...process.env, MERIDIAN_LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // A command that exits before reading its input closes the pipe (EPIPE): what it printed and
    // its exit code say what happened, not the write.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.stdin ?? '');
  });
}

/** `node packages/cli/src/main.ts args` with the repository's Node, in the repository root. */
export function cli(args: string[], stdin = '', opts: Omit<RunOptions, 'stdin'> = {}): Promise<CliResult> {
  return runCommand(nodeBin, [mainTs, ...args], { ...opts, stdin });
}

export interface ServingCommand {
  child: import('node:child_process').ChildProcessWithoutNullStreams;
  /** Resolves with what `ready` found in the output (the URL of its banner); rejects if it exits first. */
  running: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Standard output so far. */
  output(): string;
  /** Standard error so far. */
  errors(): string;
}

/**
 * Starts a serving `meridian` command (`start`, `server`) on a data directory: HTTPS on a free
 * loopback port, no plain HTTP. `ready` reads the output so far and returns the banner's URL
 * once it is complete.
 */
export function serveCommand(
  words: string[],
  home: string,
  opts: {
    env?: NodeJS.ProcessEnv;
    ready: (stdout: string) => string | undefined;
    /** A fixed HTTPS port (a process that restarts must come back at the same URL); default: a free one. */
    httpsPort?: number;
  },
): ServingCommand {
  const port = String(opts.httpsPort ?? 0);
  const child = spawn(
    nodeBin,
    [mainTs, ...words, '--home', home, '--https-port', port, '--http-mode', 'off', '--bind', '127.0.0.1'],
    { cwd: root, env: opts.env ?? { ...process.env, MERIDIAN_LOG_LEVEL: 'silent' } },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const found = opts.ready(stdout);
      if (found) resolve(found);
    });
    void exited.then(() =>
      reject(new Error(`meridian ${words.join(' ')} exited early:\n${stdout}${stderr}`)),
    );
  });
  running.catch(() => {});
  return { child, running, exited, output: () => stdout, errors: () => stderr };
}
