/**
 * The features bench's ceiling: what a query costs Meridian without HTTP. The GIS server's
 * node is opened in this process on the data directory the server published into (no
 * listener), and the layer's query (gis-server/services/engine.ts runQuery: the parameters
 * parsed into a plan, the store's R*Tree lookup and rows, the answer serialised) is called for
 * the same boxes one after another, each answer turned into its JSON text as the route sends
 * it. One core, no TLS, no sockets: the limit the HTTP figure can approach.
 */
import { expectCase } from './case-failed.ts';
import { fullCheck } from './features-answers.ts';
import type { LoadTarget } from './features-load.ts';

export interface CeilingResult {
  queries: number;
  seconds: number;
  /** Queries per second on one core. */
  qps: number;
  /** Per query, ms. */
  mean: number;
  p99: number;
}

/** One answer in SAMPLE is checked in full (outside the timed part). */
const SAMPLE = 8;

export async function ceiling(
  home: string,
  service: string,
  expected: LoadTarget['expected'],
  seconds: number,
): Promise<CeilingResult> {
  const { loadGisServerConfig, openGisServerNode } = await import(
    '../packages/server/src/roles/gis-server.ts'
  );
  const { runQuery } = await import('../packages/server/src/gis-server/services/engine.ts');
  const config = loadGisServerConfig({ env: {}, overrides: { home, 'log.level': 'silent' } });
  const node = await openGisServerNode(config, { logger: false });
  try {
    const services = node.modules['gis-server'].services;
    const s = await services.find('', service);
    expectCase(s !== undefined, 'ceiling', () => `no service ${service} in ${home}`);
    const layer = s.layers[0]!;
    const params = expected.map((x) => Object.fromEntries(new URLSearchParams(x.query)));
    const times: number[] = [];
    const end = performance.now() + seconds * 1000;
    let busy = 0;
    for (let i = 0; performance.now() < end; i++) {
      const k = i % expected.length;
      const t = performance.now();
      const body = JSON.stringify(await runQuery(services.store, s, layer, params[k]!));
      const ms = performance.now() - t;
      busy += ms;
      times.push(ms);
      if (i % SAMPLE === 0) {
        const why = fullCheck(body, expected[k]!.e);
        expectCase(why === null, 'ceiling', () => `box ${k}: ${why}`);
      }
    }
    times.sort((a, b) => a - b);
    return {
      queries: times.length,
      seconds: busy / 1000,
      qps: times.length / (busy / 1000),
      mean: busy / times.length,
      p99: times[Math.min(times.length - 1, Math.floor(0.99 * times.length))]!,
    };
  } finally {
    await node.close();
  }
}
