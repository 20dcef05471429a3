/**
 * The two faults under load through HAProxy, as the test (e2e/haproxy-nodes.test.ts) asserts
 * them and the nodes benchmark counts them: PostgreSQL restarted, and a node killed. Each runs
 * the counting client (bench/counting-client.ts) through the front end on its own connection
 * pool and returns what happened and when; the caller decides what must hold.
 */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import { type CountResult, startCounting } from '../bench/counting-client.ts';
import type { Haproxy } from './haproxy.ts';
import type { PgCluster } from './pg-cluster.ts';

export interface LoadTarget {
  /** The front end's https URL (the public URL). */
  base: string;
  /** The portal CA (PEM): the only one trusted. */
  caPem: string;
  paths: string[];
  verify: (body: string, path: string) => boolean;
  concurrency: number;
}

/** HAProxy's log lines marking a node DOWN or UP, written since `from` (an output length). */
export function transitions(haproxy: Haproxy, from: number): string {
  const lines =
    haproxy
      .output()
      .slice(from)
      .match(/Server meridian_nodes\/node-. is (DOWN|UP)/g) ?? [];
  // HAProxy says each both as a warning and as a log line.
  return lines.filter((l, i) => l !== lines[i - 1]).join('; ') || 'none';
}

export interface PgRestartRun {
  result: CountResult;
  /** When the server was stopped and when it answered again (ms on the load's clock). */
  restartAt: number;
  backAt: number;
  /** HAProxy's view meanwhile. */
  haproxyLog: string;
}

/**
 * Load for `beforeMs`, then PostgreSQL stopped (fast: every connection is cut, as a restart or
 * failover does), `downMs` without a server, started again; the load goes on until `quietMs`
 * have passed without a failure, or `maxWaitMs` after the server is back.
 */
export async function pgRestartUnderLoad(
  target: LoadTarget,
  o: {
    cluster: PgCluster;
    haproxy: Haproxy;
    beforeMs: number;
    downMs: number;
    quietMs?: number;
    maxWaitMs?: number;
  },
): Promise<PgRestartRun> {
  const logFrom = o.haproxy.output().length;
  const dispatcher = new Agent({ connect: { ca: target.caPem } });
  const load = startCounting({ ...target, dispatcher });
  let restartAt = 0;
  let backAt = 0;
  let result: CountResult;
  try {
    await sleep(o.beforeMs);
    restartAt = load.now();
    await o.cluster.restart({ downMs: o.downMs });
    backAt = load.now();
    for (;;) {
      await sleep(100);
      const fails = load.outcomes().filter((x) => x.kind !== 'ok');
      const lastFail = fails.length ? fails[fails.length - 1]!.doneAt : 0;
      const now = load.now();
      if (now - Math.max(lastFail, backAt) >= (o.quietMs ?? 1500) || now - backAt > (o.maxWaitMs ?? 15_000))
        break;
    }
  } finally {
    result = await load.stop();
    await dispatcher.close();
  }
  return { result, restartAt, backAt, haproxyLog: transitions(o.haproxy, logFrom) };
}

export interface NodeKillRun {
  result: CountResult;
  /** When the node was killed (ms on the load's clock). */
  killAt: number;
  /** Connections HAProxy had open to the node just before. */
  openToVictim: number;
  /** How long HAProxy took to mark it DOWN (ms). */
  downAfter: number;
}

/** Load for `killAfterMs`, then SIGKILL to the node HAProxy calls `victim`; load until `totalMs`. */
export async function nodeKillUnderLoad(
  target: LoadTarget,
  o: { haproxy: Haproxy; victim: string; child: ChildProcess; killAfterMs: number; totalMs: number },
): Promise<NodeKillRun> {
  const dispatcher = new Agent({ connect: { ca: target.caPem } });
  const load = startCounting({ ...target, dispatcher });
  let killAt = 0;
  let openToVictim = 0;
  let downAfter = 0;
  let result: CountResult;
  try {
    await sleep(o.killAfterMs);
    openToVictim = (await o.haproxy.stats()).get(o.victim)?.current ?? 0;
    killAt = load.now();
    o.child.kill('SIGKILL');
    downAfter = await o.haproxy.waitFor(o.victim, 'DOWN', 10_000);
    await sleep(Math.max(0, o.totalMs - load.now()));
  } finally {
    result = await load.stop();
    await dispatcher.close();
  }
  return { result, killAt, openToVictim, downAfter };
}
