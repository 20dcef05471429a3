/** Runs the real `meridian` command in a child process, as an administrator would (for the CLI tests). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../../../..');
const nodeBin = join(root, 'node_modules/.bin/node');
const mainTs = join(root, 'packages/cli/src/main.ts');

export function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBin, [mainTs, ...args], {
      cwd: root,
      env: { ...process.env, MERIDIAN_LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
