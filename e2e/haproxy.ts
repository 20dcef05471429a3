/**
 * HAProxy in front of portal nodes, run from the configuration the documentation shows
 * (docs/examples/haproxy.cfg): the example's site values (its public address, the nodes'
 * addresses, the public host name, the CA file, the admin socket) are replaced by loopback
 * ones, every other line runs as written. Shared by e2e/haproxy-nodes.test.ts and bench/nodes.ts.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const EXAMPLE_CONFIG = join(import.meta.dirname, '../docs/examples/haproxy.cfg');

/** The example's values for a site, as they appear in the file. */
const SITE = {
  front: '0.0.0.0:443',
  nodeA: '10.0.0.11:7443',
  nodeB: '10.0.0.12:7443',
  host: 'gis.example.org',
  caFile: '/etc/haproxy/meridian-ca.pem',
  socket: '/run/haproxy/admin.sock',
};

export interface HaproxyValues {
  /** host:port the front end binds. */
  front: string;
  /** host:port of each node (one or two): with one, the example's second server line is left out. */
  nodes: string[];
  /** The public host name (checked against the nodes' certificate, sent as Host). */
  host: string;
  caFile: string;
  socket: string;
}

function replaceAll(text: string, from: string, to: string): string {
  if (!text.includes(from))
    throw new Error(`${EXAMPLE_CONFIG} no longer holds '${from}': update SITE in e2e/haproxy.ts`);
  return text.split(from).join(to);
}

/** The example configuration with this run's values. */
export function haproxyConfig(v: HaproxyValues): string {
  if (v.nodes.length < 1 || v.nodes.length > 2) throw new Error('one or two nodes');
  let text = readFileSync(EXAMPLE_CONFIG, 'utf8');
  if (v.nodes.length === 1) {
    const line = new RegExp(`^\\s*server \\S+ ${SITE.nodeB.replace(/\./g, '\\.')}\\s*$\\n`, 'm');
    if (!line.test(text)) throw new Error(`${EXAMPLE_CONFIG}: no server line for ${SITE.nodeB}`);
    text = text.replace(line, '');
  } else text = replaceAll(text, SITE.nodeB, v.nodes[1]!);
  text = replaceAll(text, SITE.nodeA, v.nodes[0]!);
  text = replaceAll(text, SITE.front, v.front);
  text = replaceAll(text, SITE.host, v.host);
  text = replaceAll(text, SITE.caFile, v.caFile);
  return replaceAll(text, SITE.socket, v.socket);
}

export interface ServerStat {
  /** UP, DOWN, … as HAProxy's `show stat` says. */
  status: string;
  /** Connections (sessions) it was given since HAProxy started. */
  total: number;
  /** Connections open to it now. */
  current: number;
  check: string;
}

export interface Haproxy {
  child: ChildProcess;
  port: number;
  /** The backend's servers by name (node-a, node-b). */
  stats(): Promise<Map<string, ServerStat>>;
  /** Waits until `server` has `status` (UP, DOWN) and returns how long that took. */
  waitFor(server: string, status: string, timeoutMs?: number): Promise<number>;
  output(): string;
  stop(): Promise<void>;
}

/** Sends one command to HAProxy's admin socket and returns the answer. */
function adminCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect(socket);
    let out = '';
    c.on('data', (d) => (out += d));
    c.on('end', () => resolve(out));
    c.on('error', reject);
    c.write(`${command}\n`);
  });
}

/**
 * Writes the configuration to `dir`, checks it (`haproxy -c`), starts `haproxy -db` and waits
 * until every server passed its readiness check (UP, L7OK).
 */
export async function startHaproxy(
  dir: string,
  values: Omit<HaproxyValues, 'socket'> & { name?: string },
): Promise<Haproxy> {
  const name = values.name ?? 'haproxy';
  const socket = join(dir, `${name}.sock`);
  const file = join(dir, `${name}.cfg`);
  writeFileSync(file, haproxyConfig({ ...values, socket }));
  const check = spawnSync('haproxy', ['-c', '-q', '-f', file], { encoding: 'utf8' });
  if (check.error || check.status !== 0)
    throw new Error(
      `haproxy -c refused ${file}:\n${check.error?.message ?? ''}${check.stdout}${check.stderr}`,
    );
  const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = Number(values.front.split(':').pop());

  const stats = async () => {
    const csv = await adminCommand(socket, 'show stat');
    const [header, ...rows] = csv.trim().split('\n');
    const cols = (header ?? '').replace(/^# /, '').split(',');
    const col = (row: string[], c: string) => row[cols.indexOf(c)] ?? '';
    const servers = new Map<string, ServerStat>();
    for (const line of rows) {
      const row = line.split(',');
      const sv = col(row, 'svname');
      if (col(row, 'pxname') !== 'meridian_nodes' || sv === 'BACKEND') continue;
      servers.set(sv, {
        status: col(row, 'status'),
        total: Number(col(row, 'stot')),
        current: Number(col(row, 'scur')),
        check: col(row, 'check_status'),
      });
    }
    return servers;
  };
  const waitFor = async (server: string, status: string, timeoutMs = 15_000) => {
    const t0 = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`haproxy exited:\n${out}`);
      const s = await stats().catch(() => undefined);
      if (s?.get(server)?.status === status) return Date.now() - t0;
      if (Date.now() - t0 > timeoutMs)
        throw new Error(
          `HAProxy's ${server} is not ${status} after ${timeoutMs} ms: ${JSON.stringify(s?.get(server))}\n${out}`,
        );
      await sleep(50);
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    // Servers start UP; wait until each one's readiness check really passed.
    const t0 = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`haproxy exited:\n${out}`);
      const s = await stats().catch(() => undefined);
      const ready = [...(s?.values() ?? [])].filter((st) => st.status === 'UP' && st.check === 'L7OK');
      if (ready.length === values.nodes.length) break;
      if (Date.now() - t0 > 15_000)
        throw new Error(
          `HAProxy's servers did not pass their checks: ${JSON.stringify([...(s ?? [])])}\n${out}`,
        );
      await sleep(50);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { child, port, stats, waitFor, output: () => out, stop };
}
