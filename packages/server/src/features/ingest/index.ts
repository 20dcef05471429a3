/**
 * Publishing ingest: streams a GeoJSON or CSV file into a feature store as one layer. A first
 * pass checks every feature and infers the schema; a second writes it in batches. Memory stays
 * bounded (one chunk and one batch at a time); a stream is spooled to a temporary file so it
 * can be read twice. Any error, or the caller's abort signal, aborts the layer, so a failed or
 * cancelled publish leaves nothing behind.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FeatureStore, LayerDef, LayerWriter } from '../plan.ts';
import { loadCsv, scanCsv } from './csv-ingest.ts';
import { loadGeojson, scanGeojson } from './geojson-ingest.ts';
import { Batcher, type Open } from './layer-plan.ts';

/**
 * Bytes read at a time. Small on purpose: each chunk's features are parsed together, and a
 * 1 MiB chunk's (≈5,000 features) outlive the young generation and grow the heap by ~100 MB
 * over a large file; 64 KiB chunks die young (the same speed).
 */
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * Features per append. A batch outlives V8's young generation, so its size is heap that the
 * ingest holds: 5,000 features grew the heap by ~100 MB over 1M points, 500 by ~30 MB (the
 * same speed on SQLite, where an append is an in-process transaction). PostGIS gets larger
 * batches: each append is a round trip.
 */
const BATCH_SIZE = { sqlite: 500, postgis: 2000 } as const;

export interface IngestProgress {
  /** Features read (first pass) or written (second pass). */
  done: number;
  /** Features in the file, once the first pass has counted them. */
  total?: number | null;
  message?: string;
}

export interface IngestOptions {
  /** The file, or … */
  path?: string;
  /** … a stream of it (spooled to a temporary file). */
  stream?: Readable;
  format: 'geojson' | 'csv';
  layerName: string;
  /** Default 0. */
  layerId?: number;
  /** The data's spatial reference (default 4326; longitude/latitude ranges are checked for 4326). */
  wkid?: number;
  /** Features per append (default: BATCH_SIZE for the store's kind). */
  batchSize?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Stops the ingest: reading ends, the layer is aborted and the promise rejects with the reason. */
  signal?: AbortSignal;
}

export async function ingestFile(
  store: FeatureStore,
  serviceKey: string,
  opts: IngestOptions,
): Promise<LayerDef[]> {
  let spool: string | undefined;
  const signal = opts.signal;
  try {
    signal?.throwIfAborted();
    let path = opts.path;
    if (!path) {
      if (!opts.stream) throw new Error('ingestFile needs a path or a stream');
      spool = await mkdtemp(join(tmpdir(), 'meridian-ingest-'));
      path = join(spool, 'data');
      await pipeline(opts.stream, createWriteStream(path), signal ? { signal } : {});
    }
    const file = path;
    // An abort destroys the read stream: the pass reading it throws the signal's reason.
    const open: Open = () => {
      signal?.throwIfAborted();
      return createReadStream(file, { highWaterMark: READ_CHUNK_BYTES, ...(signal ? { signal } : {}) });
    };
    return [await ingestLayer(store, serviceKey, open, opts)];
  } catch (err) {
    // A stream ended by the signal throws its own AbortError: the caller gets the reason.
    if (signal?.aborted) throw signal.reason;
    throw err;
  } finally {
    if (spool) await rm(spool, { recursive: true, force: true });
  }
}

async function ingestLayer(
  store: FeatureStore,
  serviceKey: string,
  open: Open,
  opts: IngestOptions,
): Promise<LayerDef> {
  const wkid = opts.wkid ?? 4326;
  const progress = opts.onProgress ?? (() => {});
  const reading = (n: number) =>
    progress({ done: n, total: null, message: `Checking ${opts.layerName}: ${n} features read` });
  const scan =
    opts.format === 'csv' ? await scanCsv(open, wkid, reading) : await scanGeojson(open, wkid, reading);
  const writer: LayerWriter = await store.createLayer(serviceKey, {
    id: opts.layerId ?? 0,
    name: opts.layerName,
    geometryType: scan.geometryType,
    wkid,
    objectIdField: scan.objectIdField,
    fields: scan.fields.map((f) => f.def),
  });
  try {
    const out = new Batcher(writer, opts.batchSize ?? BATCH_SIZE[store.kind], opts.signal, (done) =>
      progress({
        done,
        total: scan.count,
        message: `Loading ${opts.layerName}: ${done} of ${scan.count} features`,
      }),
    );
    if (opts.format === 'csv') await loadCsv(open, scan, wkid, out);
    else await loadGeojson(open, scan, wkid, out);
    opts.signal?.throwIfAborted();
    return await writer.finish();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
