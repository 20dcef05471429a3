/**
 * Writes one layer into the SQLite feature file. Each batch is one transaction of prepared
 * inserts, in arrival order (the object ids 1, 2, …), into the layer's table or, for a layer
 * with geometry, into a staging table `w<tbl>`. Finish rewrites a staged layer into its table
 * in Z-order of the features' envelope centres (zorder.ts), one INSERT … SELECT … ORDER BY
 * that SQLite sorts through temporary files, so that the rows of a bounding box share pages;
 * then it indexes the object ids, fills the R*Tree (by rowid) in one statement, records the
 * definition (extent, count) and makes the layer visible, all in one transaction. Abort drops
 * the tables and the layer's row.
 *
 * The two layouts a layer's table `f<tbl>` can have, which queries read alike (sqlite-dialect.ts
 * joins the R*Tree on the rowid, and names the object id `oid`):
 * - arrival order: `oid INTEGER PRIMARY KEY`, the rowid itself (tables, which have no geometry,
 *   and every layer published before the Z-order rewrite);
 * - Z-order: `oid` an ordinary column with a unique index, the rowid the position in Z-order,
 *   the R*Tree's id the rowid.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Envelope, EsriGeometry, LayerDef, LayerWriter, Literal } from '../plan.ts';
import { attributeValue } from './attribute-values.ts';
import { ExtentTracker } from './extent-tracker.ts';
import { checkGeometry, envelopeOf } from './feature-geometry.ts';
import type { LayerSchema } from './layer-schema.ts';
import { encodeGeometry } from './sqlite-geometry-codec.ts';
import { HEARTBEAT_EVERY_MS } from './writer-mark.ts';
import { zorderScale, zorderSql } from './zorder.ts';

/** SQLite's page cache (KiB) while a layer's rows are sorted into Z-order. */
const SORT_CACHE_KIB = 4096;

const SQL_TYPES: Record<string, string> = {
  esriFieldTypeString: 'TEXT',
  esriFieldTypeInteger: 'INTEGER',
  esriFieldTypeSmallInteger: 'INTEGER',
  esriFieldTypeDouble: 'REAL',
  esriFieldTypeDate: 'INTEGER',
};

/** The table batches are written to: the staging table of a layer with geometry, else the layer's own. */
function writtenTable(tbl: number, schema: LayerSchema): string {
  return schema.def.geometryType === null ? `f${tbl}` : `w${tbl}`;
}

/** The layer table's columns after the object id, with their types. */
function columnsSql(schema: LayerSchema): string {
  const cols = schema.attributes.map((a) => `, "${a.column}" ${SQL_TYPES[a.def.type]}`);
  return `minx REAL, miny REAL, maxx REAL, maxy REAL, g BLOB${cols.join('')}`;
}

/** Creates the tables a layer is written to (inside the caller's transaction). */
export function createSqliteLayerTables(db: DatabaseSync, tbl: number, schema: LayerSchema): void {
  db.exec(`CREATE TABLE "${writtenTable(tbl, schema)}" (oid INTEGER PRIMARY KEY, ${columnsSql(schema)})`);
  if (schema.def.geometryType !== null) {
    db.exec(`CREATE VIRTUAL TABLE "r${tbl}" USING rtree(id, minx, maxx, miny, maxy)`);
  }
}

/**
 * Rewrites a staged layer into its table in Z-order (inside the caller's transaction, with
 * temp_store FILE: SQLite's sort then keeps at most its cache size in memory and spills the
 * rest to temporary files), indexes the object ids and fills the R*Tree by rowid.
 */
function writeInZorder(db: DatabaseSync, tbl: number, schema: LayerSchema, extent: Envelope | null): void {
  const cols = ['oid', 'minx', 'miny', 'maxx', 'maxy', 'g', ...schema.attributes.map((a) => `"${a.column}"`)];
  // `oid` is a declared column here, so SQLite's rowid alias of that name no longer applies.
  db.exec(`CREATE TABLE "f${tbl}" (oid INTEGER NOT NULL, ${columnsSql(schema)})`);
  const e = extent ?? { xmin: 0, ymin: 0, xmax: 0, ymax: 0 };
  const scale = zorderScale(e);
  const key = zorderSql('(minx + maxx) / 2', '(miny + maxy) / 2', ['?1', '?2', '?3', '?4']);
  // SQLite's sort holds up to the page cache's size in memory beside the cache itself: a
  // smaller cache while it sorts (copying rows through the cache needs few pages).
  const cache = db.prepare('PRAGMA cache_size').get()!.cache_size as number;
  db.exec(`PRAGMA cache_size = -${SORT_CACHE_KIB}`);
  try {
    db.prepare(
      `INSERT INTO "f${tbl}" (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM "w${tbl}" ORDER BY ${key}, oid`,
    ).run(e.xmin, e.ymin, scale.x, scale.y);
    db.exec(`DROP TABLE "w${tbl}"`);
    db.exec(`CREATE UNIQUE INDEX "f${tbl}_oid" ON "f${tbl}" (oid)`);
  } finally {
    db.exec(`PRAGMA cache_size = ${cache}`);
  }
  // One statement fills the R*Tree, in Z-order: per-batch inserts would rewrite most of its
  // nodes at every commit.
  db.exec(
    `INSERT INTO "r${tbl}" (id, minx, maxx, miny, maxy) SELECT rowid, minx, maxx, miny, maxy FROM "f${tbl}" WHERE minx IS NOT NULL`,
  );
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
  db.exec(`DROP TABLE IF EXISTS "r${tbl}"; DROP TABLE IF EXISTS "w${tbl}"; DROP TABLE IF EXISTS "f${tbl}"`);
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
      `INSERT INTO "${writtenTable(tbl, schema)}" (oid, minx, miny, maxx, maxy, g${cols}) VALUES (?, ?, ?, ?, ?, ?${marks})`,
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
    const staged = def.geometryType !== null;
    const tempStore = this.#db.prepare('PRAGMA temp_store').get()!.temp_store as number;
    if (staged) this.#db.exec('PRAGMA temp_store = FILE');
    try {
      this.#db.exec('BEGIN');
      try {
        const made = this.#db
          .prepare(
            `UPDATE layers SET state = 'ready', def = ?, writer = NULL, heartbeat = NULL WHERE tbl = ? AND state = 'writing'`,
          )
          .run(JSON.stringify(def), tbl);
        if (Number(made.changes) !== 1)
          throw new Error('the layer being written was dropped (its writer was taken for gone)');
        if (staged) writeInZorder(this.#db, tbl, this.#schema, def.extent);
        this.#db.exec('COMMIT');
      } catch (err) {
        this.#db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      if (staged) this.#db.exec(`PRAGMA temp_store = ${tempStore}`);
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
