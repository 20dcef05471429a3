/**
 * The features bench's peer, run as a child process:
 *   node bench/features-koop.ts PORT   (in the directory holding the .geojson files)
 * Koop (@koopjs/koop-core, its GeoServices output) with @koopjs/provider-file-geojson serving
 * the directory it runs in (the provider joins its dataDir to the working directory) at
 * http://127.0.0.1:PORT/file-geojson/rest/services/<file>/FeatureServer/0/query.
 *
 * Parsed data is cached in memory, as a Koop deployment serving a file would have it: the
 * provider's ttl puts each file's GeoJSON in Koop's memory cache, and the cache key is the file
 * (the provider's createCacheKey, Koop's hook for it): Koop's default key hashes the request's
 * query too, so every new box would read and parse the whole file again. The first query after
 * start reads and parses the file; every later one filters the cached features (winnow).
 */
import { createRequire } from 'node:module';

interface KoopRequest {
  params: { id: string };
}
interface ProviderPlugin {
  type: 'provider';
  name: string;
  Model: new (...args: never[]) => object;
}
interface KoopInstance {
  register(plugin: ProviderPlugin, options: Record<string, unknown>): void;
  server: { listen(port: number, host: string, ready: () => void): void };
}

const require = createRequire(import.meta.url);
const Koop = require('@koopjs/koop-core') as new (options: Record<string, unknown>) => KoopInstance;
const provider = require('@koopjs/provider-file-geojson') as ProviderPlugin;

/** The provider's model, with one cache entry per file whatever the query. */
class CachedFileModel extends provider.Model {
  createCacheKey(req: KoopRequest): string {
    return `file-geojson::${req.params.id}`;
  }
}

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node bench/features-koop.ts PORT (in the data directory)');
  process.exit(2);
}
const koop = new Koop({ logLevel: 'error' });
koop.register({ ...provider, Model: CachedFileModel }, { dataDir: '.', ttl: 24 * 3600 });
koop.server.listen(port, '127.0.0.1', () => console.log(`koop listening on ${port}`));
