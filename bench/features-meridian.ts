/**
 * The features bench's Meridian side: `meridian server` as a child process (its own data
 * directory, SQLite feature store, HTTPS with its own CA: e2e/gis-server-process.ts), and
 * `meridian server publish FILE --name NAME --public` as a second child, timed, with its peak
 * RSS read while it runs. The service's query URL is
 * `${base}/arcgis/rest/services/NAME/FeatureServer/0/query`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type GisServerProcess, startGisServerProcess } from '../e2e/gis-server-process.ts';
import { expectCase } from './case-failed.ts';
import { type RssPeaks, watchRss } from './features-memory.ts';

const ROOT = join(import.meta.dirname, '..');

export interface Published {
  ms: number;
  /** Peak RSS of the publish command (null figures off Linux). */
  rss: RssPeaks;
  output: string;
}

/** Starts a GIS server on `home` (created on first start). */
export function startMeridianServer(home: string): Promise<GisServerProcess> {
  return startGisServerProcess(home, { env: { MERIDIAN_LOG_LEVEL: 'warn' } });
}

/** `meridian server publish FILE --name NAME --public --home HOME`, timed; fails the case unless it exits 0. */
export async function publishWithCli(home: string, file: string, name: string): Promise<Published> {
  const start = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      join(ROOT, 'packages/cli/src/main.ts'),
      'server',
      'publish',
      file,
      '--name',
      name,
      '--public',
      '--home',
      home,
    ],
    { cwd: ROOT, env: { ...process.env, MERIDIAN_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const memory = watchRss(child.pid!);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  const ms = performance.now() - start;
  const rss = memory.stop();
  expectCase(code === 0, 'meridian server publish', () => `exited ${code}:\n${output.slice(-2000)}`);
  return { ms, rss, output };
}

/** The query path of a root-folder service's first layer. */
export const meridianQueryPath = (name: string): string =>
  `/arcgis/rest/services/${name}/FeatureServer/0/query`;
