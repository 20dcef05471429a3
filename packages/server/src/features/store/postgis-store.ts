/**
 * The PostGIS feature store: a schema per GIS server (created on first use, with
 * CREATE EXTENSION IF NOT EXISTS postgis), one table per layer with attributes as real
 * columns, a geometry column in the layer's SRID with a GiST index, and a `layers` table of
 * definitions. Queries compile to the same SQL shape as the SQLite store's.
 */
import pg from 'pg';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { FeatureStore, LayerDef, LayerWriter, QueryPlan, QueryResult } from '../plan.ts';
import { compileQuery } from './compile-query.ts';
import { LayerExists, LayerNotFound, PostgisUnavailable } from './errors.ts';
import { type LayerSchema, layerSchema, type NewLayerDef, normalizeLayerDef } from './layer-schema.ts';
import { postgisDialect } from './postgis-dialect.ts';
import { createPgLayerTableSql, PostgisLayerWriter } from './postgis-layer-writer.ts';
import { toResult } from './query-result.ts';
import { fromWkb } from './wkb.ts';
import {
  type AbandonedLayerSweep,
  type SweepOptions,
  sweepOptions,
  thisWriter,
  writerGone,
} from './writer-mark.ts';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class PostgisFeatureStore implements FeatureStore, AbandonedLayerSweep {
  readonly kind = 'postgis' as const;
  readonly #pool: pg.Pool;
  readonly #schema: string;
  readonly #layers = new Map<string, { table: string; schema: LayerSchema }>();
  /** Layers this store writes now (never swept by it). */
  readonly #writing = new Set<number>();

  private constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#schema = schema;
  }

  /** Connects, makes sure PostGIS and the store's schema exist; a clear error when they cannot. */
  static async open(
    url: string,
    schema = 'meridian_features',
    onPoolError: (err: Error) => void = () => {},
  ): Promise<PostgisFeatureStore> {
    if (!SCHEMA_NAME.test(schema)) {
      throw new MeridianError(
        PostgisUnavailable,
        `The feature schema name "${schema}" is not a plain lower-case identifier.`,
      );
    }
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    // A connection cut while idle (or while checked out) must not end the process: the pool
    // discards it, the query in flight fails with its error, the next one connects again.
    pool.on('error', onPoolError);
    pool.on('connect', (client) => client.on('error', onPoolError));
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      await pool.end();
      throw new MeridianError(
        PostgisUnavailable,
        `PostgreSQL is not reachable for the feature store (${(err as Error).message}).`,
        { cause: err },
      );
    }
    try {
      await pool.query('CREATE EXTENSION IF NOT EXISTS postgis');
    } catch (err) {
      await pool.end();
      throw new MeridianError(
        PostgisUnavailable,
        `The PostgreSQL database has no PostGIS and it cannot be created (${(err as Error).message}). Install PostGIS on the server (e.g. apt install postgresql-15-postgis-3), or have a superuser run CREATE EXTENSION postgis in the database.`,
        { cause: err },
      );
    }
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await pool.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".layers (tbl serial PRIMARY KEY, service_key text NOT NULL,
        layer_id int4 NOT NULL, state text NOT NULL, def text NOT NULL, UNIQUE (service_key, layer_id))`,
    );
    await pool.query(
      `ALTER TABLE "${schema}".layers ADD COLUMN IF NOT EXISTS writer text, ADD COLUMN IF NOT EXISTS heartbeat int8`,
    );
    return new PostgisFeatureStore(pool, schema);
  }

  #table(tbl: number): string {
    return `"${this.#schema}"."f${tbl}"`;
  }

  get #layersTable(): string {
    return `"${this.#schema}".layers`;
  }

  async createLayer(serviceKey: string, input: NewLayerDef): Promise<LayerWriter> {
    const def = normalizeLayerDef(input);
    const schema = layerSchema(def);
    const now = Date.now();
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      let tbl: number;
      try {
        const r = await client.query(
          `INSERT INTO ${this.#layersTable} (service_key, layer_id, state, def, writer, heartbeat) VALUES ($1, $2, 'writing', $3, $4, $5) RETURNING tbl`,
          [serviceKey, def.id, JSON.stringify(def), JSON.stringify(thisWriter(now)), now],
        );
        tbl = r.rows[0].tbl as number;
      } catch (err) {
        if ((err as { code?: string }).code === '23505') {
          throw new MeridianError(LayerExists, `Layer ${def.id} already exists in service ${serviceKey}.`);
        }
        throw err;
      }
      await client.query(createPgLayerTableSql(this.#table(tbl), schema));
      await client.query('COMMIT');
      this.#writing.add(tbl);
      return new PostgisLayerWriter(this.#pool, schema, this.#table(tbl), this.#layersTable, tbl, () =>
        this.#writing.delete(tbl),
      );
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Drops the layers left half-written by a writer that is gone (see writer-mark.ts), each
   * under a row lock so that a writer finishing meanwhile keeps its layer. For a serving
   * node's start-up and background sweep only.
   */
  async sweepAbandoned(opts?: SweepOptions): Promise<{ serviceKey: string; layerId: number }[]> {
    const o = sweepOptions(opts);
    const swept: { serviceKey: string; layerId: number }[] = [];
    const r = await this.#pool.query(`SELECT tbl FROM ${this.#layersTable} WHERE state = 'writing'`);
    for (const { tbl } of r.rows as { tbl: number }[]) {
      if (this.#writing.has(tbl)) continue;
      const client = await this.#pool.connect();
      try {
        await client.query('BEGIN');
        const row = (
          await client.query(
            `SELECT service_key, layer_id, writer, heartbeat FROM ${this.#layersTable} WHERE tbl = $1 AND state = 'writing' FOR UPDATE`,
            [tbl],
          )
        ).rows[0];
        if (row && writerGone(row.writer, row.heartbeat === null ? null : Number(row.heartbeat), o)) {
          await client.query(`DROP TABLE IF EXISTS ${this.#table(tbl)}`);
          await client.query(`DELETE FROM ${this.#layersTable} WHERE tbl = $1`, [tbl]);
          swept.push({ serviceKey: row.service_key, layerId: row.layer_id });
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
    }
    return swept;
  }

  async layers(serviceKey: string): Promise<LayerDef[]> {
    const r = await this.#pool.query(
      `SELECT def FROM ${this.#layersTable} WHERE service_key = $1 AND state = 'ready' ORDER BY layer_id`,
      [serviceKey],
    );
    return r.rows.map((row) => JSON.parse(row.def) as LayerDef);
  }

  async #layer(serviceKey: string, layerId: number): Promise<{ table: string; schema: LayerSchema }> {
    const key = `${serviceKey}\u0000${layerId}`;
    let l = this.#layers.get(key);
    if (!l) {
      const r = await this.#pool.query(
        `SELECT tbl, def FROM ${this.#layersTable} WHERE service_key = $1 AND layer_id = $2 AND state = 'ready'`,
        [serviceKey, layerId],
      );
      if (r.rows.length === 0)
        throw new MeridianError(LayerNotFound, `Service ${serviceKey} has no layer ${layerId}.`);
      l = { table: this.#table(r.rows[0].tbl), schema: layerSchema(JSON.parse(r.rows[0].def) as LayerDef) };
      this.#layers.set(key, l);
    }
    return l;
  }

  async query(serviceKey: string, layerId: number, plan: QueryPlan): Promise<QueryResult> {
    const { table, schema } = await this.#layer(serviceKey, layerId);
    const q = compileQuery(schema, plan, postgisDialect(table, schema.def.wkid));
    const r = await this.#pool.query({ text: q.sql, values: q.params, rowMode: 'array' });
    const type = schema.def.geometryType;
    return toResult(schema, plan, q, r.rows as unknown[][], (row, at) => {
      if (row[at] === null) return null;
      if (type === 'esriGeometryPoint') return { x: row[at] as number, y: row[at + 1] as number };
      return row[at + 2] === null ? null : fromWkb(row[at + 2] as Buffer);
    });
  }

  async dropService(serviceKey: string): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const r = await client.query(`DELETE FROM ${this.#layersTable} WHERE service_key = $1 RETURNING tbl`, [
        serviceKey,
      ]);
      for (const row of r.rows) await client.query(`DROP TABLE IF EXISTS ${this.#table(row.tbl)}`);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
    for (const key of [...this.#layers.keys()])
      if (key.startsWith(`${serviceKey}\u0000`)) this.#layers.delete(key);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
