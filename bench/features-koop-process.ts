/**
 * Starts the features bench's Koop peer (bench/features-koop.ts) as a child process in the
 * data directory and waits until it listens. Its query URL for a file `<name>.geojson` is
 * `${base}/file-geojson/rest/services/<name>/FeatureServer/0/query`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './processes.ts';

export interface KoopProcess {
  child: ChildProcess;
  pid: number;
  /** http://127.0.0.1:PORT */
  base: string;
  /** performance.now() when it was spawned. */
  spawnedAt: number;
  output(): string;
}

export async function startKoop(dataDir: string, children: ChildProcess[]): Promise<KoopProcess> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', join(import.meta.dirname, 'features-koop.ts'), String(port)],
    {
      cwd: dataDir,
      // The config package Koop reads its settings with warns of no ./config directory.
      env: { ...process.env, SUPPRESS_NO_CONFIG_WARNING: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Koop did not listen within 30 s:\n${out}`)), 30_000);
    child.stdout?.on('data', () => {
      if (out.includes(`koop listening on ${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Koop exited (${signal ?? code}) before it listened:\n${out}`));
    });
  });
  return { child, pid: child.pid!, base: `http://127.0.0.1:${port}`, spawnedAt, output: () => out };
}
