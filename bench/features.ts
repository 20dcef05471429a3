/**
 * npm run bench -- features [--smoke]
 *
 * Bounding-box queries over 1,000,000 points (bench/features-data.ts: spread over Germany's
 * extent, five attributes, one GeoJSON file): Koop (@koopjs/koop-core with
 * @koopjs/provider-file-geojson, the parsed file cached in memory: bench/features-koop.ts)
 * against `meridian server` (the file published with `meridian server publish`), on the same
 * file and the same random boxes, in one run. Each box holds about 1,000 points
 * (bench/features-boxes.ts); every query asks resultRecordCount=1000 with every field and the
 * geometry; 4 connections (bench/features-load.ts). Every answer's feature count is checked
 * against the exact count of the box, and one in 8 in full (every point in the box).
 *
 * Then the ceiling: Meridian's store query and serialisation alone, in this process, for the
 * same boxes (no HTTP; bench/features-ceiling.ts). And the publish time and peak memory of
 * each: Koop's time to its first answer after start (it reads and parses the file then) and
 * its peak RSS; Meridian's publish command's time and peak RSS, and the server's peak RSS
 * during the publish and during the queries (/proc/<pid>/status VmHWM, reset between; with
 * their anonymous and file-backed parts: SQLite maps its database file).
 *
 * Targets (from the issue): ≥ 30 × Koop's throughput, p99 ≤ 50 ms, peak memory ≤ 250 MB.
 * Smoke: 5,000 points, boxes of 100, one second each, every answer checked, no figure asserted.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import type { GisServerProcess } from '../e2e/gis-server-process.ts';
import { boxQuery, type Expected, RECORD_COUNT } from './features-answers.ts';
import { PointIndex, randomBoxes } from './features-boxes.ts';
import { ceiling } from './features-ceiling.ts';
import { seededRandom, writePointsGeoJson } from './features-data.ts';
import { startKoop } from './features-koop-process.ts';
import { CONNECTIONS, checkAnswers, checkedQuery, type LoadTarget, measureLoad } from './features-load.ts';
import { mbText, peakRssMb, peaksText, type RssPeaks, resetPeakRss, watchRss } from './features-memory.ts';
import {
  meridianQueryPath,
  type Published,
  publishWithCli,
  startMeridianServer,
} from './features-meridian.ts';
import { printTable } from './load.ts';
import type { BenchOptions } from './options.ts';
import { stopChildren } from './processes.ts';

const SERVICE = 'points';
/** Boxes whose answers are checked in full before each load. */
const CHECKED_FIRST = 20;

interface KoopFigures {
  r: Awaited<ReturnType<typeof measureLoad>>;
  /** From spawn to its first answer (boot, read and parse, query). */
  firstAnswerMs: number;
  /** The first query alone (the read and parse of the file, and the query). */
  firstQueryMs: number;
  /** Up to its first answer (the file read and parsed). */
  afterLoad: RssPeaks;
  /** By the end of the queries. */
  end: RssPeaks;
}

interface MeridianFigures {
  r: Awaited<ReturnType<typeof measureLoad>>;
  publish: Published;
  /** From the publish command's exit to the server's first right answer. */
  visibleMs: number;
  serverIdleMb: number | null;
  /** The server's, from the publish's start until it answered the first box. */
  serverPublish: RssPeaks;
  /** The server's, during the queries. */
  serverQuery: RssPeaks;
}

async function koopSide(
  dir: string,
  expected: LoadTarget['expected'],
  seconds: number,
  smoke: boolean,
): Promise<KoopFigures> {
  const children: ChildProcess[] = [];
  const dispatcher = new Agent();
  try {
    const koop = await startKoop(dir, children);
    const memory = watchRss(koop.pid);
    const t: LoadTarget = {
      caseName: 'Koop',
      base: koop.base,
      queryPath: `/file-geojson/rest/services/${SERVICE}/FeatureServer/0/query`,
      dispatcher,
      expected,
    };
    const firstQueryMs = await checkedQuery(t, 0);
    const firstAnswerMs = performance.now() - koop.spawnedAt;
    const afterLoad = memory.peaks();
    await checkAnswers(t, CHECKED_FIRST);
    if (!smoke) await measureLoad(t, 2);
    const r = await measureLoad(t, seconds);
    return { r, firstAnswerMs, firstQueryMs, afterLoad, end: memory.stop() };
  } finally {
    await dispatcher.close();
    await stopChildren(children);
  }
}

/** Polls the first box until the server answers it right (the publish seen by the server). */
async function untilVisible(t: LoadTarget): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await checkedQuery(t, 0);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function meridianSide(
  dir: string,
  file: string,
  expected: LoadTarget['expected'],
  seconds: number,
  smoke: boolean,
): Promise<MeridianFigures> {
  let server: GisServerProcess | undefined;
  try {
    server = await startMeridianServer(join(dir, 'gis'));
    const pid = server.serving.child.pid!;
    const serverIdleMb = peakRssMb(pid);
    resetPeakRss(pid);
    const duringPublish = watchRss(pid);
    const publish = await publishWithCli(server.home, file, SERVICE);
    const t: LoadTarget = {
      caseName: 'Meridian',
      base: server.base,
      queryPath: meridianQueryPath(SERVICE),
      dispatcher: server.dispatcher,
      expected,
    };
    const published = performance.now();
    await untilVisible(t);
    const visibleMs = performance.now() - published;
    const serverPublish = duringPublish.stop();
    resetPeakRss(pid);
    const duringQueries = watchRss(pid);
    await checkAnswers(t, CHECKED_FIRST);
    if (!smoke) await measureLoad(t, 2);
    const r = await measureLoad(t, seconds);
    return {
      r,
      publish,
      visibleMs,
      serverIdleMb,
      serverPublish,
      serverQuery: duringQueries.stop(),
    };
  } finally {
    await server?.stop();
  }
}

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

export async function run(opts: BenchOptions, args: string[]): Promise<void> {
  if (args.length) throw new Error(`the features bench takes no argument, not '${args[0]}'`);
  const n = opts.items(1_000_000, 5_000);
  const perBox = Math.min(1000, Math.floor(n / 50));
  const seconds = opts.seconds(10);
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-features-'));
  // Other work on the machine moves every figure: the 1-minute load average says how much there was.
  const startLoad = loadavg()[0]!.toFixed(2);
  try {
    const file = join(dir, `${SERVICE}.geojson`);
    const written = performance.now();
    const points = await writePointsGeoJson(file, n);
    const writeMs = performance.now() - written;
    const index = new PointIndex(points);
    const boxes = randomBoxes(points, perBox, opts.smoke ? 100 : 2000, seededRandom(11));
    const expected = boxes.map((box) => {
      const e: Expected = { box, inBox: index.count(box) };
      return { query: boxQuery(box), e };
    });
    const meanInBox = expected.reduce((s, x) => s + x.e.inBox, 0) / expected.length;
    const over = expected.filter((x) => x.e.inBox > RECORD_COUNT).length;
    console.log(
      `data: ${n.toLocaleString('en')} points, ${(statSync(file).size / 2 ** 20).toFixed(0)} MB of GeoJSON (written in ${(writeMs / 1000).toFixed(1)} s); ` +
        `${expected.length} boxes of ${(boxes[0]!.xmax - boxes[0]!.xmin).toFixed(3)}°, ${meanInBox.toFixed(0)} points each on average ` +
        `(${over} over ${RECORD_COUNT}: those answer ${RECORD_COUNT} and exceededTransferLimit)`,
    );

    const koop = await koopSide(dir, expected, seconds, opts.smoke);
    const ours = await meridianSide(dir, file, expected, seconds, opts.smoke);
    const top = await ceiling(join(dir, 'gis'), SERVICE, expected, opts.seconds(5));

    console.log(
      `\nfeatures benchmark${opts.smoke ? ' (SMOKE: figures mean nothing)' : ''}: ${seconds} s per case${opts.smoke ? '' : ' after 2 s of warm-up'}, ` +
        `${CONNECTIONS} connections (one request in flight each), resultRecordCount=${RECORD_COUNT}, outFields=*, one run, ` +
        `${availableParallelism()} cores shared by the load generator and the server (load average at the start ${startLoad}, at the end ${loadavg()[0]!.toFixed(2)})\n`,
    );
    printTable({ name: 'Koop 10 + provider-file-geojson (peer, HTTP)', r: koop.r }, [
      { name: 'Meridian server (HTTPS, SQLite store)', r: ours.r },
    ]);
    console.log(
      `\nceiling, Meridian's query alone in-process (parameters → plan → R*Tree and rows → JSON text; no HTTP, one core): ` +
        `${top.qps.toFixed(0)} queries/s, ${top.mean.toFixed(2)} ms each (p99 ${top.p99.toFixed(1)} ms) over ${top.queries} queries; ` +
        `HTTP at ${CONNECTIONS} connections reaches ${((100 * ours.r.rps) / top.qps).toFixed(0)} % of it`,
    );
    console.log(
      '\npublish and peak memory (peak RSS from /proc VmHWM; its anonymous and file-backed parts are the largest of samples every 20 ms):',
    );
    console.log(
      `  Koop: first answer ${(koop.firstAnswerMs / 1000).toFixed(1)} s after start (the query that read and parsed the file: ${(koop.firstQueryMs / 1000).toFixed(1)} s)`,
    );
    console.log(
      `    up to its first answer ${peaksText(koop.afterLoad)}; by the end of the queries ${peaksText(koop.end)}`,
    );
    console.log(
      `  Meridian: meridian server publish ${(ours.publish.ms / 1000).toFixed(1)} s; the server answered the first box ${ours.visibleMs.toFixed(0)} ms after`,
    );
    console.log(`    the publish command ${peaksText(ours.publish.rss)}`);
    console.log(
      `    the server: ${mbText(ours.serverIdleMb)} started; during the publish ${peaksText(ours.serverPublish)}; during the queries ${peaksText(ours.serverQuery)}`,
    );
    const ratio = ours.r.rps / koop.r.rps;
    const memoryTarget = (what: string, mb: number | null) =>
      `${what} ${mbText(mb)} (${mb === null ? 'unknown' : verdict(mb <= 250)})`;
    const serverPeak = Math.max(ours.serverPublish.total ?? 0, ours.serverQuery.total ?? 0) || null;
    console.log('\ntargets:');
    console.log(`  throughput ≥ 30 × Koop's: ${ratio.toFixed(1)} × (${verdict(ratio >= 30)})`);
    console.log(`  p99 ≤ 50 ms: ${ours.r.p99.toFixed(1)} ms (${verdict(ours.r.p99 <= 50)})`);
    console.log(
      `  peak memory ≤ 250 MB: ${memoryTarget('the publish command', ours.publish.rss.total)}; ${memoryTarget('the server', serverPeak)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
