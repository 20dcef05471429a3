/**
 * A private PostgreSQL cluster for a test that must stop or restart the database server: the
 * machine's server (127.0.0.1:5432) is shared with the tests that run at the same time, so it
 * is never restarted. `initdb` and `pg_ctl` come from PATH; they refuse to run as root, so as
 * root they run as the `postgres` OS user. The cluster listens on 127.0.0.1 only, on a free
 * port, with its unix socket in its own temporary directory, and is stopped and removed by
 * cleanup() — also when starting it failed, and when the test process exits without calling it.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../bench/processes.ts';

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication, loopback only). */
  url: string;
  port: number;
  /** Stops the server (fast: open connections are cut, as on a real restart), then starts it again. */
  restart(opts?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server if it runs and removes its directory; safe to call more than once. */
  cleanup(): Promise<void>;
  /** The server's log so far, for failure messages. */
  log(): string;
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program (as the postgres user when we are root); throws with its output. */
function pgRun(args: string[], timeout = 60_000): string {
  const [command, ...rest] = args as [string, ...string[]];
  const r = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...rest], { encoding: 'utf8', timeout })
    : spawnSync(command, rest, { encoding: 'utf8', timeout });
  if (r.error || r.status !== 0)
    throw new Error(`${args.join(' ')} failed (${r.error?.message ?? r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** initdb, configure and start a private cluster. */
export async function startPgCluster(): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-pgcluster-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  let removed = false;
  const stopNow = () => {
    try {
      pgRun(['pg_ctl', '-D', data, '-m', 'immediate', '-w', 'stop'], 30_000);
    } catch {}
  };
  const cleanupSync = () => {
    if (removed) return;
    removed = true;
    process.off('exit', cleanupSync);
    stopNow();
    rmSync(dir, { recursive: true, force: true });
  };
  // A test process that ends without its after hook (an uncaught error) still leaves no server.
  process.once('exit', cleanupSync);
  try {
    if (asRoot) {
      const pgUser = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      if (pgUser.status !== 0) throw new Error('running as root and there is no postgres OS user');
      chownSync(dir, Number(pgUser.stdout.trim()), Number(gid.stdout.trim()));
    }
    pgRun(['initdb', '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
    const port = await freePort();
    // Durability is not what these tests are about; speed is.
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 100',
        '',
      ].join('\n'),
    );
    const start = async () => {
      pgRun(['pg_ctl', '-D', data, '-l', logFile, '-w', '-t', '30', 'start']);
    };
    const stop = async () => {
      pgRun(['pg_ctl', '-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
    };
    await start();
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      start,
      stop,
      async restart(opts = {}) {
        await stop();
        if (opts.downMs) await sleep(opts.downMs);
        await start();
      },
      async cleanup() {
        cleanupSync();
      },
      log() {
        try {
          return readFileSync(logFile, 'utf8');
        } catch {
          return '';
        }
      },
    };
  } catch (err) {
    cleanupSync();
    throw err;
  }
}
