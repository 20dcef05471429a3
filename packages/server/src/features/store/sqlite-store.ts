/**
 * The embedded feature store: one SQLite file per GIS server (WAL), one table per layer with
 * its attributes as real columns and an R*Tree beside it, a `layers` table of definitions.
 * Queries compile to one statement each (cached prepared statements); a bounding-box query
 * reads only the R*Tree entries and rows it returns, which share pages: a finished layer's rows
 * are stored in Z-order (sqlite-layer-writer.ts).
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { FeatureStore, LayerDef, LayerWriter, QueryPlan, QueryResult } from '../plan.ts';
import { compileQuery } from './compile-query.ts';
import { simplestFilter } from './envelope-exact.ts';
import { LayerExists, LayerNotFound } from './errors.ts';
import { prepareIntersects } from './geometry-predicates.ts';
import { type LayerSchema, layerSchema, type NewLayerDef, normalizeLayerDef } from './layer-schema.ts';
import { toResult } from './query-result.ts';
import { sqliteDialect } from './sqlite-dialect.ts';
import { readRows, registerSqliteFunctions } from './sqlite-functions.ts';
import { decodeGeometry } from './sqlite-geometry-codec.ts';
import {
  addWriterColumns,
  createSqliteLayerTables,
  dropSqliteLayerTables,
  SqliteLayerWriter,
} from './sqlite-layer-writer.ts';
import {
  type AbandonedLayerSweep,
  type SweepOptions,
  sweepOptions,
  thisWriter,
  writerGone,
} from './writer-mark.ts';

/**
 * No memory map: pages are read into SQLite's own cache (cache_size) from the OS page cache.
 * A map makes every page a query has read part of the process's RSS until the OS reclaims it:
 * random boxes over 1M points soon touch the whole file (+130 MB of file-backed RSS, 360 MB in
 * all under the features bench's load, against ~245 MB without), for ~15% more answers/s.
 * Filling a large layer's R*Tree through a map kept its whole table resident as well.
 */
const MMAP_BYTES = 0;

/**
 * SQLite's page cache (KiB): small for queries (16 MB answered a 1,000-point box no faster than
 * 4, measured when rows lay in arrival order); larger while a layer is written, where filling
 * its R*Tree revisits pages and its Z-order sort keeps this much in memory before spilling to
 * temporary files.
 */
const QUERY_CACHE_KIB = 4096;
const WRITE_CACHE_KIB = 16384;

interface OpenLayer {
  tbl: number;
  schema: LayerSchema;
}

export class SqliteFeatureStore implements FeatureStore, AbandonedLayerSweep {
  readonly kind = 'sqlite' as const;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #layers = new Map<string, OpenLayer>();
  readonly #writing = new Set<number>();
  readonly #tests = new Map<
    number,
    (blob: Uint8Array | null, x: number | null, y: number | null) => boolean
  >();
  #nextToken = 1;
  #cacheKib = 0;

  constructor(path: string) {
    this.#db = new DatabaseSync(path);
    this.#db.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY; PRAGMA case_sensitive_like = ON;',
    );
    this.#db.exec(
      `CREATE TABLE IF NOT EXISTS layers (tbl INTEGER PRIMARY KEY AUTOINCREMENT, service_key TEXT NOT NULL,
        layer_id INTEGER NOT NULL, state TEXT NOT NULL, def TEXT NOT NULL, UNIQUE (service_key, layer_id))`,
    );
    this.#db.exec(`PRAGMA mmap_size = ${MMAP_BYTES}`);
    this.#sizeCache();
    addWriterColumns(this.#db);
    registerSqliteFunctions(this.#db, this.#tests);
  }

  /**
   * Drops the layers left half-written by a writer that is gone (see writer-mark.ts). For a
   * serving node's start-up and background sweep only: opening the store never drops anything,
   * so a command run beside a publish leaves it alone.
   */
  async sweepAbandoned(opts?: SweepOptions): Promise<{ serviceKey: string; layerId: number }[]> {
    const o = sweepOptions(opts);
    const swept: { serviceKey: string; layerId: number }[] = [];
    const candidates = this.#db.prepare(`SELECT tbl FROM layers WHERE state = 'writing'`).all();
    for (const { tbl } of candidates as { tbl: number }[]) {
      if (this.#writing.has(tbl)) continue;
      // Read and drop in one write transaction: a writer finishing meanwhile keeps its layer.
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const row = this.#db
          .prepare(
            `SELECT service_key, layer_id, writer, heartbeat FROM layers WHERE tbl = ? AND state = 'writing'`,
          )
          .get(tbl);
        if (row && writerGone(row.writer as string | null, row.heartbeat as number | null, o)) {
          dropSqliteLayerTables(this.#db, tbl);
          this.#db.prepare('DELETE FROM layers WHERE tbl = ?').run(tbl);
          swept.push({ serviceKey: row.service_key as string, layerId: row.layer_id as number });
        }
        this.#db.exec('COMMIT');
      } catch (err) {
        this.#db.exec('ROLLBACK');
        throw err;
      }
    }
    return swept;
  }

  /** The page cache for what the store does now: writing a layer, or only answering queries. */
  #sizeCache(): void {
    const want = this.#writing.size > 0 ? WRITE_CACHE_KIB : QUERY_CACHE_KIB;
    if (want === this.#cacheKib) return;
    this.#db.exec(`PRAGMA cache_size = -${want}`);
    this.#cacheKib = want;
  }

  #prepare(sql: string): StatementSync {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      s.setReturnArrays(true);
      if (this.#statements.size >= 200) this.#statements.delete(this.#statements.keys().next().value!);
      this.#statements.set(sql, s);
    }
    return s;
  }

  async createLayer(serviceKey: string, input: NewLayerDef): Promise<LayerWriter> {
    const def = normalizeLayerDef(input);
    const schema = layerSchema(def);
    const now = Date.now();
    this.#db.exec('BEGIN');
    let tbl: number;
    try {
      const exists = this.#db
        .prepare('SELECT 1 FROM layers WHERE service_key = ? AND layer_id = ?')
        .get(serviceKey, def.id);
      if (exists)
        throw new MeridianError(LayerExists, `Layer ${def.id} already exists in service ${serviceKey}.`);
      const r = this.#db
        .prepare(
          `INSERT INTO layers (service_key, layer_id, state, def, writer, heartbeat) VALUES (?, ?, 'writing', ?, ?, ?)`,
        )
        .run(serviceKey, def.id, JSON.stringify(def), JSON.stringify(thisWriter(now)), now);
      tbl = Number(r.lastInsertRowid);
      createSqliteLayerTables(this.#db, tbl, schema);
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
    this.#writing.add(tbl);
    this.#sizeCache();
    return new SqliteLayerWriter(this.#db, tbl, schema, () => {
      this.#writing.delete(tbl);
      this.#sizeCache();
    });
  }

  async layers(serviceKey: string): Promise<LayerDef[]> {
    return this.#db
      .prepare(`SELECT def FROM layers WHERE service_key = ? AND state = 'ready' ORDER BY layer_id`)
      .all(serviceKey)
      .map((r) => JSON.parse(r.def as string) as LayerDef);
  }

  #layer(serviceKey: string, layerId: number): OpenLayer {
    const key = `${serviceKey}\u0000${layerId}`;
    let l = this.#layers.get(key);
    if (!l) {
      const row = this.#db
        .prepare(`SELECT tbl, def FROM layers WHERE service_key = ? AND layer_id = ? AND state = 'ready'`)
        .get(serviceKey, layerId);
      if (!row) throw new MeridianError(LayerNotFound, `Service ${serviceKey} has no layer ${layerId}.`);
      l = { tbl: row.tbl as number, schema: layerSchema(JSON.parse(row.def as string) as LayerDef) };
      this.#layers.set(key, l);
    }
    return l;
  }

  async query(serviceKey: string, layerId: number, asked: QueryPlan): Promise<QueryResult> {
    const { tbl, schema } = this.#layer(serviceKey, layerId);
    const type = schema.def.geometryType;
    const plan = asked.spatial ? { ...asked, spatial: simplestFilter(type, asked.spatial) } : asked;
    let token = 0;
    const dialect = sqliteDialect(tbl, () => {
      token = this.#nextToken++;
      const test = prepareIntersects(plan.spatial!.geometry);
      this.#tests.set(token, (blob, x, y) => {
        const g = decodeGeometry(type!, blob, x, y);
        return g !== null && test(g);
      });
      return token;
    });
    try {
      const q = compileQuery(schema, plan, dialect);
      const rows = readRows(this.#prepare(q.sql), q.params);
      return toResult(schema, plan, q, rows, (row, at) =>
        decodeGeometry(
          type!,
          (row[at + 2] ?? null) as Uint8Array | null,
          row[at] as number,
          row[at + 1] as number,
        ),
      );
    } finally {
      if (token) this.#tests.delete(token);
    }
  }

  async dropService(serviceKey: string): Promise<void> {
    const rows = this.#db.prepare('SELECT tbl FROM layers WHERE service_key = ?').all(serviceKey);
    this.#db.exec('BEGIN');
    try {
      for (const r of rows) {
        dropSqliteLayerTables(this.#db, r.tbl as number);
        this.#writing.delete(r.tbl as number);
      }
      this.#db.prepare('DELETE FROM layers WHERE service_key = ?').run(serviceKey);
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
    for (const key of [...this.#layers.keys()])
      if (key.startsWith(`${serviceKey}\u0000`)) this.#layers.delete(key);
    this.#statements.clear();
    this.#sizeCache();
  }

  async close(): Promise<void> {
    this.#statements.clear();
    if (this.#db.isOpen) this.#db.close();
  }
}
