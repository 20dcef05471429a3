/** The services catalog: the rows of gis_services as ServiceRecords, and their writes. */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { ServiceExists } from './errors.ts';
import { nameKey } from './names.ts';
import type { GisServicesTable } from './tables.ts';

export type ServiceAccessLevel = 'private' | 'public';

/** A feature service as the catalog keeps it (its layers are in the feature store under `id`). */
export interface ServiceRecord {
  /** Stable id: the feature store's service key. */
  id: string;
  /** '' for the root folder. */
  folder: string;
  name: string;
  type: 'FeatureServer';
  title: string;
  description: string;
  /** The username of who published it. */
  owner: string;
  /** The portal item that stands for it once the server is federated. */
  portalItemId: string | null;
  access: ServiceAccessLevel;
  maxRecordCount: number;
  created: number;
  modified: number;
}

function toRecord(r: GisServicesTable): ServiceRecord {
  return {
    id: r.id,
    folder: r.folder,
    name: r.name,
    type: 'FeatureServer',
    title: r.title,
    description: r.description,
    owner: r.owner,
    portalItemId: r.portal_item_id,
    access: r.access === 'public' ? 'public' : 'private',
    maxRecordCount: Number(r.max_record_count),
    created: Number(r.created),
    modified: Number(r.modified),
  };
}

export class ServiceCatalog {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Every service, by folder then name. */
  async list(): Promise<ServiceRecord[]> {
    const rows = await this.#db.selectFrom('gis_services').selectAll().orderBy('name_key').execute();
    return rows.map(toRecord);
  }

  /** The service of this folder and name (case-insensitive), or undefined. */
  async find(folder: string, name: string): Promise<ServiceRecord | undefined> {
    const row = await this.#db
      .selectFrom('gis_services')
      .selectAll()
      .where('name_key', '=', nameKey(folder, name))
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Adds a service; gis.service_exists when the folder already has one of this name (any case). */
  async insert(s: ServiceRecord): Promise<void> {
    try {
      await this.#db
        .insertInto('gis_services')
        .values({
          id: s.id,
          folder: s.folder,
          name: s.name,
          name_key: nameKey(s.folder, s.name),
          type: s.type,
          title: s.title,
          description: s.description,
          owner: s.owner,
          portal_item_id: s.portalItemId,
          access: s.access,
          max_record_count: s.maxRecordCount,
          created: s.created,
          modified: s.modified,
        })
        .execute();
    } catch (err) {
      if (await this.find(s.folder, s.name)) throw exists(s.folder, s.name);
      throw err;
    }
  }

  /** Removes a service's row; answers whether there was one. */
  async remove(id: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('gis_services').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async setPortalItem(id: string, itemId: string | null, now: number): Promise<void> {
    await this.#db
      .updateTable('gis_services')
      .set({ portal_item_id: itemId, modified: now })
      .where('id', '=', id)
      .execute();
  }
}

export function exists(folder: string, name: string): MeridianError {
  return new MeridianError(
    ServiceExists,
    `A service named '${name}' already exists in ${folder ? `the folder '${folder}'` : 'the root folder'}; choose another name or delete it first.`,
  );
}

/** How the service is written in messages: folder/name or name. */
export function servicePath(s: { folder: string; name: string }): string {
  return s.folder ? `${s.folder}/${s.name}` : s.name;
}
