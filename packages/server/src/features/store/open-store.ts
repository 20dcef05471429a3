/**
 * Opens a GIS server's feature store: PostGIS when given a PostgreSQL URL (a clear
 * features.postgis_unavailable error when the database cannot be reached or has no PostGIS),
 * else the embedded SQLite file `<home>/features.sqlite`. Opening never drops a layer: a serving
 * node sweeps the ones whose writers are gone (sweepAbandoned).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureStore } from '../plan.ts';
import { PostgisFeatureStore } from './postgis-store.ts';
import { SqliteFeatureStore } from './sqlite-store.ts';
import type { AbandonedLayerSweep } from './writer-mark.ts';

export interface FeatureStoreOptions {
  /** The server's data directory (the SQLite file lives there). */
  home: string;
  /** A postgres:// URL: use PostGIS in that database. */
  pgUrl?: string;
  /** The PostgreSQL schema holding this server's layers (default meridian_features). */
  pgSchema?: string;
  /**
   * A connection of the PostGIS pool failed (a database restart, a terminated backend): told
   * here instead of ending the process; the pool drops the connection and opens a new one.
   */
  onPoolError?: (err: Error) => void;
}

/** A feature store with its housekeeping: the sweep of layers whose writers are gone. */
export type OpenedFeatureStore = FeatureStore & AbandonedLayerSweep;

export async function openFeatureStore(opts: FeatureStoreOptions): Promise<OpenedFeatureStore> {
  if (opts.pgUrl) return PostgisFeatureStore.open(opts.pgUrl, opts.pgSchema, opts.onPoolError);
  mkdirSync(opts.home, { recursive: true });
  return new SqliteFeatureStore(join(opts.home, 'features.sqlite'));
}
