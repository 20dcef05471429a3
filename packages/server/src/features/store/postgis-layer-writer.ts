/**
 * Writes one layer into PostGIS: each batch is one INSERT … SELECT FROM unnest(arrays), the
 * geometry sent as WKB; finish builds the GiST index, analyzes the table, records the
 * definition and makes the layer visible; abort drops the table and the layer's row.
 */
import type pg from 'pg';
import type { EsriGeometry, LayerDef, LayerWriter, Literal } from '../plan.ts';
import { attributeValue } from './attribute-values.ts';
import { ExtentTracker } from './extent-tracker.ts';
import { checkGeometry, envelopeOf } from './feature-geometry.ts';
import type { LayerSchema } from './layer-schema.ts';
import { toWkb } from './wkb.ts';
import { HEARTBEAT_EVERY_MS } from './writer-mark.ts';

const PG_TYPES: Record<string, string> = {
  esriFieldTypeString: 'text',
  esriFieldTypeInteger: 'int4',
  esriFieldTypeSmallInteger: 'int2',
  esriFieldTypeDouble: 'float8',
  esriFieldTypeDate: 'float8',
};

/** CREATE TABLE for a layer (`table` already quoted and schema-qualified). */
export function createPgLayerTableSql(table: string, schema: LayerSchema): string {
  const cols = schema.attributes.map(
    (a) =>
      `, "${a.column}" ${PG_TYPES[a.def.type]}${a.def.type === 'esriFieldTypeString' ? ' COLLATE "C"' : ''}`,
  );
  const geom = schema.def.geometryType === null ? '' : `, geom geometry(Geometry, ${schema.def.wkid})`;
  return `CREATE TABLE ${table} (oid int4 PRIMARY KEY, minx float8, miny float8, maxx float8, maxy float8${geom}${cols.join('')})`;
}

export class PostgisLayerWriter implements LayerWriter {
  readonly #pool: pg.Pool;
  readonly #schema: LayerSchema;
  readonly #table: string;
  readonly #layersTable: string;
  readonly #tbl: number;
  readonly #extent = new ExtentTracker();
  readonly #insertSql: string;
  #state: 'open' | 'finished' | 'aborted' = 'open';
  #failed = false;

  readonly #onDone: () => void;
  #lastBeat = Date.now();

  constructor(
    pool: pg.Pool,
    schema: LayerSchema,
    table: string,
    layersTable: string,
    tbl: number,
    onDone: () => void,
  ) {
    this.#pool = pool;
    this.#onDone = onDone;
    this.#schema = schema;
    this.#table = table;
    this.#layersTable = layersTable;
    this.#tbl = tbl;
    const hasGeom = schema.def.geometryType !== null;
    const arrays = ['int4', 'float8', 'float8', 'float8', 'float8', ...(hasGeom ? ['bytea'] : [])].concat(
      schema.attributes.map((a) => PG_TYPES[a.def.type]!),
    );
    const names = [
      'o',
      'x0',
      'y0',
      'x1',
      'y1',
      ...(hasGeom ? ['g'] : []),
      ...schema.attributes.map((a) => a.column),
    ];
    const cols = ['oid', 'minx', 'miny', 'maxx', 'maxy', ...(hasGeom ? ['geom'] : [])]
      .concat(schema.attributes.map((a) => `"${a.column}"`))
      .join(', ');
    const select = names
      .map((n) => (n === 'g' ? `ST_GeomFromWKB(u.g, ${schema.def.wkid})` : `u."${n}"`))
      .join(', ');
    this.#insertSql = `INSERT INTO ${table} (${cols}) SELECT ${select} FROM unnest(${arrays
      .map((t, i) => `$${i + 1}::${t}[]`)
      .join(', ')}) AS u(${names.map((n) => `"${n}"`).join(', ')})`;
  }

  /** Renews the layer's heartbeat, at most every HEARTBEAT_EVERY_MS. */
  async #heartbeat(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastBeat < HEARTBEAT_EVERY_MS) return;
    this.#lastBeat = now;
    const r = await this.#pool.query(
      `UPDATE ${this.#layersTable} SET heartbeat = $1 WHERE tbl = $2 AND state = 'writing'`,
      [now, this.#tbl],
    );
    if (r.rowCount !== 1)
      throw new Error('the layer being written was dropped (its writer was taken for gone)');
  }

  #open(): void {
    if (this.#state !== 'open') throw new Error(`layer writer already ${this.#state}`);
    if (this.#failed) throw new Error('an append failed: the layer can only be aborted');
  }

  async append(
    features: { attributes: Record<string, Literal>; geometry: EsriGeometry | null }[],
  ): Promise<void> {
    this.#open();
    if (features.length === 0) return;
    const type = this.#schema.def.geometryType;
    const attrs = this.#schema.attributes;
    const columns: unknown[][] = Array.from({ length: 5 + (type === null ? 0 : 1) + attrs.length }, () => []);
    const at = type === null ? 5 : 6;
    const before = this.#extent.count;
    try {
      features.forEach((f, i) => {
        const oid = before + i + 1;
        const g = checkGeometry(f.geometry, type, oid);
        const e = g && envelopeOf(g);
        columns[0]!.push(oid);
        columns[1]!.push(e ? e.xmin : null);
        columns[2]!.push(e ? e.ymin : null);
        columns[3]!.push(e ? e.xmax : null);
        columns[4]!.push(e ? e.ymax : null);
        if (type !== null) columns[5]!.push(g && toWkb(g));
        for (let j = 0; j < attrs.length; j++) {
          columns[at + j]!.push(attributeValue(attrs[j]!.def, f.attributes[attrs[j]!.def.name], oid));
        }
      });
      await this.#heartbeat();
      await this.#pool.query(this.#insertSql, columns);
      for (const c of columns[1]!.keys()) {
        const x = columns[1]![c] as number | null;
        this.#extent.add(
          x === null
            ? null
            : {
                xmin: x,
                ymin: columns[2]![c] as number,
                xmax: columns[3]![c] as number,
                ymax: columns[4]![c] as number,
              },
        );
      }
    } catch (err) {
      this.#failed = true;
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
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      if (def.geometryType !== null) {
        await client.query(`CREATE INDEX ON ${this.#table} USING gist (geom)`);
      }
      await client.query(
        `UPDATE ${this.#layersTable} SET state = 'ready', def = $1, writer = NULL, heartbeat = NULL WHERE tbl = $2`,
        [JSON.stringify(def), this.#tbl],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
    this.#state = 'finished';
    this.#onDone();
    await this.#pool.query(`ANALYZE ${this.#table}`);
    return def;
  }

  async abort(): Promise<void> {
    if (this.#state !== 'open') return;
    this.#state = 'aborted';
    try {
      await this.#pool.query(`DROP TABLE IF EXISTS ${this.#table}`);
      await this.#pool.query(`DELETE FROM ${this.#layersTable} WHERE tbl = $1`, [this.#tbl]);
    } finally {
      this.#onDone();
    }
  }
}
