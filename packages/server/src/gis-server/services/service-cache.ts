/**
 * The services as requests read them, kept in memory: every catalog row with its layers'
 * definitions, so that a query costs no catalog read. Rebuilt whole when a service is created,
 * changed or deleted on any node (bus topic gis-server.services; a `meridian server publish`
 * beside a running server reaches it the same way) and after the bus reconnects.
 */
import type { LayerDef } from '../../features/plan.ts';
import type { ServiceRecord } from './catalog.ts';
import { nameKey } from './names.ts';

/** A service with its layers (and tables), as the store describes them. */
export interface LoadedService {
  record: ServiceRecord;
  layers: LayerDef[];
}

export interface ServicesSnapshot {
  /** By nameKey(folder, name). */
  byKey: ReadonlyMap<string, LoadedService>;
  /** Folder names as published (first spelling seen), sorted. */
  folders: readonly string[];
}

export class ServiceCache {
  readonly #load: () => Promise<LoadedService[]>;
  #snapshot: Promise<ServicesSnapshot> | undefined;

  constructor(load: () => Promise<LoadedService[]>) {
    this.#load = load;
  }

  /** The current snapshot (loaded on first use; a failed load is tried again on the next call). */
  get(): Promise<ServicesSnapshot> {
    return this.#snapshot ?? this.reload();
  }

  /** Reads everything again; requests from now on wait for the new snapshot. */
  reload(): Promise<ServicesSnapshot> {
    const p = this.#load().then(toSnapshot);
    this.#snapshot = p;
    p.catch(() => {
      if (this.#snapshot === p) this.#snapshot = undefined;
    });
    return p;
  }
}

function toSnapshot(services: LoadedService[]): ServicesSnapshot {
  const byKey = new Map<string, LoadedService>();
  const folders = new Map<string, string>();
  for (const s of services) {
    byKey.set(nameKey(s.record.folder, s.record.name), s);
    const f = s.record.folder;
    if (f && !folders.has(f.toLowerCase())) folders.set(f.toLowerCase(), f);
  }
  return { byKey, folders: [...folders.values()].sort((a, b) => a.localeCompare(b)) };
}
