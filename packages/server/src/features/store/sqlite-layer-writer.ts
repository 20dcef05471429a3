/**
 * Writes one layer into the SQLite feature file: each batch is one transaction of prepared
 * inserts into the layer's table; finish fills the R*Tree in one statement, records the
 * definition (extent, count) and makes the layer visible; abort drops both tables and the
 * layer's row.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { EsriGeometry, LayerDef, LayerWriter, Literal } from '../plan.ts';
import { attributeValue } from './attribute-values.ts';
import { ExtentTracker } from './extent-tracker.ts';
import { checkGeometry, envelopeOf } from './feature-geometry.ts';
import type { LayerSchema } from './layer-schema.ts';
import { encodeGeometry } from './sqlite-geometry-codec.ts';
import { HEARTBEAT_EVERY_MS } from './writer-mark.ts';

const SQL_TYPES: Record<string, string> = {
  esriFieldTypeString: 'TEXT',
  esriFieldTypeInteger: 'INTEGER',
  esriFieldTypeSmallInteger: 'INTEGER',
  esriFieldTypeDouble: 'REAL',
  esriFieldTypeDate: 'INTEGER',
};

/** Creates the layer's tables (inside the caller's transaction). */
export function createSqliteLayerTables(db: DatabaseSync, tbl: number, schema: LayerSchema): void {
  const cols = schema.attributes.map((a) => `"${a.column}" ${SQL_TYPES[a.def.type]}`);
  db.exec(
    `CREATE TABLE "f${tbl}" (oid INTEGER PRIMARY KEY, minx REAL, miny REAL, maxx REAL, maxy REAL, g BLOB${cols.map((c) => `, ${c}`).join('')})`,
  );
  if (schema.def.geometryType !== null) {
    db.exec(`CREATE VIRTUAL TABLE "r${tbl}" USING rtree(id, minx, maxx, miny, maxy)`);
  }
}

/**
 * The layers table's writer and heartbeat columns (writer-mark.ts), added to a file made
 * before they existed.
 */
export function addWriterColumns(db: DatabaseSync): void {
  const has = (name: string) =>
    db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').get('layers', name) !== undefined;
  if (has('heartbeat')) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    if (!has('writer')) db.exec('ALTER TABLE layers ADD COLUMN writer TEXT');
    if (!has('heartbeat')) db.exec('ALTER TABLE layers ADD COLUMN heartbeat INTEGER');
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

export function dropSqliteLayerTables(db: DatabaseSync, tbl: number): void {
  db.exec(`DROP TABLE IF EXISTS "r${tbl}"; DROP TABLE IF EXISTS "f${tbl}"`);
}

export class SqliteLayerWriter implements LayerWriter {
  readonly #db: DatabaseSync;
  readonly #tbl: number;
  readonly #schema: LayerSchema;
  readonly #onDone: () => void;
  readonly #insert: StatementSync;
  readonly #beat: StatementSync;
  #lastBeat = Date.now();
  readonly #extent = new ExtentTracker();
  #state: 'open' | 'finished' | 'aborted' = 'open';

  constructor(db: DatabaseSync, tbl: number, schema: LayerSchema, onDone: () => void) {
    this.#db = db;
    this.#tbl = tbl;
    this.#schema = schema;
    this.#onDone = onDone;
    const cols = schema.attributes.map((a) => `, "${a.column}"`).join('');
    const marks = schema.attributes.map(() => ', ?').join('');
    this.#insert = db.prepare(
      `INSERT INTO "f${tbl}" (oid, minx, miny, maxx, maxy, g${cols}) VALUES (?, ?, ?, ?, ?, ?${marks})`,
    );
    this.#beat = db.prepare(`UPDATE layers SET heartbeat = ? WHERE tbl = ? AND state = 'writing'`);
  }

  /** Renews the layer's heartbeat (inside the batch's transaction), at most every HEARTBEAT_EVERY_MS. */
  #heartbeat(): void {
    const now = Date.now();
    if (now - this.#lastBeat < HEARTBEAT_EVERY_MS) return;
    this.#lastBeat = now;
    if (Number(this.#beat.run(now, this.#tbl).changes) !== 1)
      throw new Error('the layer being written was dropped (its writer was taken for gone)');
  }

  #failed = false;

  #open(): void {
    if (this.#state !== 'open') throw new Error(`layer writer already ${this.#state}`);
    if (this.#failed) throw new Error('an append failed: the layer can only be aborted');
  }

  async append(
    features: { attributes: Record<string, Literal>; geometry: EsriGeometry | null }[],
  ): Promise<void> {
    this.#open();
    const type = this.#schema.def.geometryType;
    const attrs = this.#schema.attributes;
    const row: unknown[] = new Array(6 + attrs.length);
    this.#db.exec('BEGIN');
    try {
      this.#heartbeat();
      for (const f of features) {
        const oid = this.#extent.count + 1;
        if (oid >= 2 ** 31) throw new Error('a layer holds fewer than 2^31 features');
        const g = checkGeometry(f.geometry, type, oid);
        const e = g && envelopeOf(g);
        row[0] = oid;
        row[1] = e ? e.xmin : null;
        row[2] = e ? e.ymin : null;
        row[3] = e ? e.xmax : null;
        row[4] = e ? e.ymax : null;
        row[5] = g && encodeGeometry(g);
        for (let i = 0; i < attrs.length; i++) {
          row[6 + i] = attributeValue(attrs[i]!.def, f.attributes[attrs[i]!.def.name], oid);
        }
        this.#insert.run(...(row as never[]));
        this.#extent.add(e);
      }
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#failed = true;
      this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  async finish(): Promise<LayerDef> {
    this.#open();
    const def: LayerDef = {
      ...this.#schema.def,
      extent: this.#extent.extent,
      featureCount: this.#extent.count,
    };
    const tbl = this.#tbl;
    this.#db.exec('BEGIN');
    try {
      // One statement fills the R*Tree: per-batch inserts would rewrite most of its nodes at
      // every commit.
      if (def.geometryType !== null) {
        this.#db.exec(
          `INSERT INTO "r${tbl}" (id, minx, maxx, miny, maxy) SELECT oid, minx, maxx, miny, maxy FROM "f${tbl}" WHERE minx IS NOT NULL`,
        );
      }
      this.#db
        .prepare(`UPDATE layers SET state = 'ready', def = ?, writer = NULL, heartbeat = NULL WHERE tbl = ?`)
        .run(JSON.stringify(def), tbl);
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
    this.#state = 'finished';
    this.#onDone();
    return def;
  }

  async abort(): Promise<void> {
    if (this.#state !== 'open') return;
    this.#state = 'aborted';
    this.#db.exec('BEGIN');
    dropSqliteLayerTables(this.#db, this.#tbl);
    this.#db.prepare('DELETE FROM layers WHERE tbl = ?').run(this.#tbl);
    this.#db.exec('COMMIT');
    this.#onDone();
  }
}
