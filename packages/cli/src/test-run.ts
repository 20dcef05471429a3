/** Runs `meridian …` in this process through the runner, with its output captured (not a terminal). */
import { PassThrough } from 'node:stream';
import type { RoleCli } from '@meridian/server/roles/role-commands.ts';
import { run } from './run.ts';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runIn(
  role: RoleCli,
  argv: string[],
  opts: { cwd?: string; stdin?: string } = {},
): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end(opts.stdin ?? '');
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await run(
    argv,
    { cwd: opts.cwd ?? process.cwd(), self: 'meridian', stdout, stderr, stdin },
    role,
  );
  return { code, stdout: out, stderr: err };
}
