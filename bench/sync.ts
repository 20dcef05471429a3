/**
 * npm run bench -- sync [ITEMS] [--smoke]
 *
 * Collaboration sync between two portals, each `meridian start` as its own process (own data
 * directory and CA, SQLite, loopback), made partners through the real API: invitation, the
 * guest accepting it with the host's fingerprint confirmed, the response imported with the
 * guest's confirmed, a group linked on each side (bench/sync-partners.ts). Copies, the default.
 *
 * Set-up (timed apart): the host adds 10,000 gauge items (metadata and a 1–4 KB CSV or GeoJSON
 * file each) by addItem, 4 requests at a time, and shares them with its linked group by
 * shareItems. Then the guest's initial sync (workspaces/<id>/sync, followed by syncStatus until
 * it ends); the host makes 10 changes (5 metadata updates, 3 data updates, 2 unshares) and the
 * guest syncs again (incremental); then once more with nothing changed.
 *
 * Printed: items per second and bytes moved by the initial sync (the data bytes the run's
 * summary counts as they arrive, and how much the guest's file store grew), the incremental
 * sync's time and its fraction of the initial (target ≤ 2 %), its items and bytes, partner calls
 * of each run (the gauges' files are small: they travel inline in the feed's answers, so the
 * calls are the feed's pages, not one per file), the peak RSS of both portals during the initial sync, the load average.
 * Checked each time: the run completed with no error, moved exactly the items and data bytes
 * expected; the guest's group lists every host item exactly once, marked with its origin, with
 * its title and type (data compared by SHA-256 for a sample and every changed item); after the
 * changes, new titles and data arrived and unshared copies are kept marked collaborationUnsynced
 * or removed as the guest's link says. Smoke: 50 items and 3 changes (one of each), the same
 * checks, no figure asserted. ITEMS (or BENCH_ITEMS) sets the size for development.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectCase } from './case-failed.ts';
import { mbText, peakRssMb, peaksText, type RssPeaks, resetPeakRss, watchRss } from './features-memory.ts';
import type { BenchOptions } from './options.ts';
import { type Changed, changeOnHost, FULL_CHANGES, SMOKE_CHANGES } from './sync-changes.ts';
import { checkGuest } from './sync-check.ts';
import { type SyncRun, syncOnce } from './sync-once.ts';
import { type SyncPartners, startSyncPartners } from './sync-partners.ts';
import { ADD_CONCURRENCY, type Seeded, seedHost } from './sync-seed.ts';

/** Items whose data the full run downloads from the guest and compares (all of them in smoke). */
const DATA_SAMPLE = 200;

/** Bytes of the files under a directory (recursively). */
function dirBytes(dir: string): number {
  let total = 0;
  try {
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true }))
      if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  } catch {
    return 0;
  }
  return total;
}

function parseSize(args: string[]): number | undefined {
  if (args.length > 1)
    throw new Error(`the sync bench takes at most one argument (ITEMS), not '${args.join(' ')}'`);
  if (!args.length) return undefined;
  const n = Number(args[0]);
  if (!Number.isInteger(n) || n < 10)
    throw new Error(`ITEMS must be a whole number of at least 10, not '${args[0]}'`);
  return n;
}

/** Gauges 1…count evenly spread, at most `max`. */
const sample = (count: number, max: number) =>
  Array.from({ length: Math.min(count, max) }, (_, i) => 1 + Math.floor((i * count) / Math.min(count, max)));

function expectRun(name: string, r: SyncRun, received: number, bytes: number): void {
  const s = r.summary;
  expectCase(
    r.run.status === 'completed' && !s.errors,
    name,
    () =>
      `the run ${r.run.status} with ${s.errors ?? 0} error(s): ${JSON.stringify(r.run.history?.errors?.slice(0, 3))}`,
  );
  expectCase(
    s.received === received && s.bytes === bytes,
    name,
    () =>
      `it received ${s.received} item change(s) and ${s.bytes} data bytes, expected ${received} and ${bytes}`,
  );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const int = (n: number) => Math.round(n).toLocaleString('en');
const size = (bytes: number) =>
  bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 2 ** 20).toFixed(1)} MB`;

function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const [i, r] of rows.entries()) {
    console.log(
      `  ${r.map((cell, c) => (c ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ')}`,
    );
    if (!i) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  }
}

interface Figures {
  seeded: Seeded;
  initial: SyncRun;
  storeGrowth: number;
  changed: Changed;
  incremental: SyncRun;
  idle: SyncRun;
  peaks: { host: RssPeaks; guest: RssPeaks; hostIdle: number | null; guestIdle: number | null };
  partnerMs: number;
  unsharedCopies: string;
}

async function measure(p: SyncPartners, count: number, smoke: boolean, partnerMs: number): Promise<Figures> {
  const config = await p.guest.get(p.workspacePath('configSync'));
  const unsharedCopies = config.unsharedCopies as 'keep' | 'delete';
  console.log(
    `partners in ${seconds(partnerMs)}; the guest's link: ${config.shareItemsAs}, unshared copies ${unsharedCopies}`,
  );

  const seeded = await seedHost(p.host, p.hostGroup, count, (done) =>
    console.log(`  set-up: ${int(done)} items added`),
  );
  console.log(
    `set-up: ${int(count)} items (${size(seeded.dataBytes)} of data) added in ${seconds(seeded.addMs)}, shared in ${seconds(seeded.shareMs)}`,
  );

  const guestFiles = join(p.homes.guest, 'files');
  const filesBefore = dirBytes(guestFiles);
  const pids = { host: p.host.process.child.pid!, guest: p.guest.process.child.pid! };
  const hostIdle = peakRssMb(pids.host);
  const guestIdle = peakRssMb(pids.guest);
  resetPeakRss(pids.host);
  resetPeakRss(pids.guest);
  const watch = { host: watchRss(pids.host, 200), guest: watchRss(pids.guest, 200) };
  const initial = await syncOnce(p, {
    pollMs: 200,
    timeoutMs: 60 * 60_000,
    progress: async () => {
      const { total } = await p.guest.get('/sharing/rest/search', { q: `group:${p.guestGroup}`, num: 0 });
      console.log(`  initial sync: ${int(total)} items on the guest so far`);
    },
  });
  const peaks = { host: watch.host.stop(), guest: watch.guest.stop(), hostIdle, guestIdle };
  const storeGrowth = dirBytes(guestFiles) - filesBefore;
  expectRun('initial sync', initial, count, seeded.dataBytes);

  const titleOf = (n: number) => seeded.items[n - 1]!.title;
  const typeOf = (n: number) => seeded.items[n - 1]!.type;
  const every = smoke ? seeded.items.map((x) => x.n) : sample(count, DATA_SAMPLE);
  const listed = await checkGuest(
    p.guest,
    p.guestGroup,
    p.collaborationId,
    { ids: seeded.ids, title: titleOf, type: typeOf, version: () => 0, unshared: new Set(), unsharedCopies },
    every,
  );
  console.log(`initial sync checked: ${int(listed)} items on the guest, data of ${every.length} compared`);

  const changed = await changeOnHost(
    p.host,
    seeded.ids,
    titleOf,
    (n) => seeded.items[n - 1]!.fileName,
    p.hostGroup,
    smoke ? SMOKE_CHANGES : FULL_CHANGES,
  );
  const incremental = await syncOnce(p, { pollMs: 20, timeoutMs: 10 * 60_000 });
  expectRun('incremental sync', incremental, changed.count, changed.dataBytes);
  await checkGuest(
    p.guest,
    p.guestGroup,
    p.collaborationId,
    {
      ids: seeded.ids,
      title: (n) => changed.retitled.get(n) ?? titleOf(n),
      type: typeOf,
      version: (n) => changed.newData.get(n) ?? 0,
      unshared: changed.unshared,
      unsharedCopies,
    },
    [
      ...new Set([
        ...changed.retitled.keys(),
        ...changed.newData.keys(),
        ...changed.unshared,
        ...sample(count, 20),
      ]),
    ],
  );
  console.log(`incremental sync checked: ${changed.count} changes applied on the guest`);

  const idle = await syncOnce(p, { pollMs: 20, timeoutMs: 10 * 60_000 });
  expectRun('sync with nothing changed', idle, 0, 0);
  return { seeded, initial, storeGrowth, changed, incremental, idle, peaks, partnerMs, unsharedCopies };
}

function report(f: Figures, count: number, smoke: boolean, startLoad: string): void {
  const { seeded, initial, incremental, idle, changed } = f;
  console.log(
    `\nsync benchmark${smoke ? ' (SMOKE: figures mean nothing)' : ''}: ${int(count)} items, two portal processes (SQLite, HTTPS on loopback), ` +
      `${availableParallelism()} cores shared by both portals and the bench (load average at the start ${startLoad}, at the end ${loadavg()[0]!.toFixed(2)})\n`,
  );
  const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(1);
  table([
    ['phase', 'items', 'data bytes moved', 'run time', 'wall time', 'items/s', 'partner calls'],
    [
      `set-up: addItem (${ADD_CONCURRENCY} at a time)`,
      int(count),
      '-',
      '-',
      seconds(seeded.addMs),
      rate(count, seeded.addMs),
      '-',
    ],
    [
      'set-up: shareItems (100 per request)',
      int(count),
      '-',
      '-',
      seconds(seeded.shareMs),
      rate(count, seeded.shareMs),
      '-',
    ],
    [
      'initial sync (copies)',
      int(initial.summary.received!),
      int(initial.summary.bytes!),
      seconds(initial.runMs),
      seconds(initial.wallMs),
      rate(initial.summary.received!, initial.runMs),
      int(initial.summary.calls!),
    ],
    [
      `incremental sync (${changed.retitled.size} metadata, ${changed.newData.size} data, ${changed.unshared.size} unshares)`,
      int(incremental.summary.received!),
      int(incremental.summary.bytes!),
      seconds(incremental.runMs),
      seconds(incremental.wallMs),
      '-',
      int(incremental.summary.calls!),
    ],
    [
      'sync with nothing changed',
      int(idle.summary.received!),
      int(idle.summary.bytes!),
      seconds(idle.runMs),
      seconds(idle.wallMs),
      '-',
      int(idle.summary.calls!),
    ],
  ]);
  console.log(
    `\n  run time: the run's startTime → endTime on the guest; wall time: the bench's sync request until syncStatus showed the end (polled every 200 ms initially, 20 ms after).` +
      `\n  data bytes: the copies' file bytes the run's summary counts as they arrive and are kept (base64 in signed JSON calls: about 4/3 of it on the wire, plus metadata). A file of at most 64 KiB travels inline in the feed's answer (no call of its own), a larger one in 512 KiB chunk calls; a small file whose item changed only in its metadata travels inline again but is not counted (its bytes are here already).` +
      `\n  the guest's file store grew by ${int(f.storeGrowth)} bytes during the initial sync (the host's data files: ${int(seeded.dataBytes)} bytes).`,
  );
  console.log(
    `\n  peak RSS during the initial sync: host ${peaksText(f.peaks.host)} (its peak up to then ${mbText(f.peaks.hostIdle)}), guest ${peaksText(f.peaks.guest)} (up to then ${mbText(f.peaks.guestIdle)})`,
  );
  const fraction = (100 * incremental.runMs) / initial.runMs;
  const wallFraction = (100 * incremental.wallMs) / initial.wallMs;
  console.log('\ntarget:');
  console.log(
    `  incremental ≤ 2 % of initial: ${fraction.toFixed(2)} % of the run time (${wallFraction.toFixed(2)} % of the wall time) (${fraction <= 2 ? 'met' : 'NOT met'})`,
  );
}

export async function run(opts: BenchOptions, args: string[]): Promise<void> {
  const count = parseSize(args) ?? opts.items(10_000, 50);
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-sync-'));
  const startLoad = loadavg()[0]!.toFixed(2);
  let partners: SyncPartners | undefined;
  try {
    const t = performance.now();
    partners = await startSyncPartners(dir);
    const f = await measure(partners, count, opts.smoke, performance.now() - t);
    report(f, count, opts.smoke, startLoad);
  } finally {
    await partners?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
