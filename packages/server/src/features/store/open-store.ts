/**
 * Opens a GIS server's feature store: PostGIS when given a PostgreSQL URL (a clear
 * features.postgis_unavailable error when the database cannot be reached or has no PostGIS),
 * else the embedded SQLite file `<home>/features.sqlite`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureStore } from '../plan.ts';
import { PostgisFeatureStore } from './postgis-store.ts';
import { SqliteFeatureStore } from './sqlite-store.ts';

export interface FeatureStoreOptions {
  /** The server's data directory (the SQLite file lives there). */
  home: string;
  /** A postgres:// URL: use PostGIS in that database. */
  pgUrl?: string;
  /** The PostgreSQL schema holding this server's layers (default meridian_features). */
  pgSchema?: string;
}

export async function openFeatureStore(opts: FeatureStoreOptions): Promise<FeatureStore> {
  if (opts.pgUrl) return PostgisFeatureStore.open(opts.pgUrl, opts.pgSchema);
  mkdirSync(opts.home, { recursive: true });
  return new SqliteFeatureStore(join(opts.home, 'features.sqlite'));
}
