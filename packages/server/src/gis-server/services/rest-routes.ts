/**
 * The services directory and the feature services' REST resources under /arcgis/rest/services:
 * the root and folder listings, …/FeatureServer, …/layers, …/<layerId> and …/<layerId>/query.
 * Folder and service names match without case. Each request reads the in-memory view of the
 * services (no catalog read), asks the access policy, then the store.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { route } from '../../http/route.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { CURRENT_VERSION } from '../../kernel/version.ts';
import { ServicesJson } from '../schemas.ts';
import { layerResource, layersResource, runQuery, serviceResource } from './engine.ts';
import { LayerNotFound, ServiceNotFound } from './errors.ts';
import type { FeatureServices } from './feature-services.ts';
import { jsonBuffer } from './json-buffer.ts';
import { QUERY_PARAMS } from './query-params.ts';
import { GeoServicesJson, QueryFormat } from './schemas.ts';
import type { LoadedService } from './service-cache.ts';

const TAGS = ['gis-server', 'feature services'];
const SERVICE_URLS = [
  '/arcgis/rest/services/:name/FeatureServer',
  '/arcgis/rest/services/:folder/:name/FeatureServer',
];

interface ServiceParams {
  folder?: string;
  name: string;
  layerId?: string;
}

function serviceNotFound(p: ServiceParams): MeridianError {
  const path = p.folder ? `${p.folder}/${p.name}` : p.name;
  return new MeridianError(ServiceNotFound, `Service ${path}/FeatureServer not found.`);
}

export function registerServiceRestRoutes(app: FastifyInstance, services: FeatureServices): void {
  const version = Number(CURRENT_VERSION);

  /** The service a request names, if the caller may read it (404, 499, 498, 403 otherwise). */
  const resolve = async (req: FastifyRequest): Promise<LoadedService> => {
    const p = req.params as ServiceParams;
    const s = await services.find(p.folder ?? '', p.name);
    if (!s) throw serviceNotFound(p);
    await services.access.check(req, s.record);
    return s;
  };
  const layerOf = (req: FastifyRequest, s: LoadedService) => {
    const raw = (req.params as ServiceParams).layerId ?? '';
    const id = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
    const layer = s.layers.find((l) => l.id === id);
    if (!layer)
      throw new MeridianError(
        LayerNotFound,
        `Layer '${raw}' not found: the service ${s.record.name} has layers ${s.layers.map((l) => l.id).join(', ') || '(none)'}.`,
      );
    return layer;
  };
  /** The services of a folder the caller may read, as the directory lists them. */
  const readable = async (req: FastifyRequest, folder: string) => {
    const out: { name: string; type: string }[] = [];
    for (const s of (await services.snapshot()).byKey.values()) {
      if (s.record.folder.toLowerCase() !== folder.toLowerCase()) continue;
      const ok = await services.access.check(req, s.record).then(
        () => true,
        () => false,
      );
      if (ok)
        out.push({
          name: s.record.folder ? `${s.record.folder}/${s.record.name}` : s.record.name,
          type: 'FeatureServer',
        });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  };

  route(app, {
    method: ['GET', 'POST'],
    url: '/arcgis/rest/services',
    summary:
      "The services directory: the root folder's services (those the caller may read) and the folders.",
    tags: TAGS,
    auth: 'public',
    response: ServicesJson,
    handler: async (req) => ({
      currentVersion: version,
      folders: [...(await services.snapshot()).folders],
      services: await readable(req, ''),
    }),
  });

  route(app, {
    method: ['GET', 'POST'],
    url: '/arcgis/rest/services/:folder',
    summary: 'A folder of the services directory: its services (those the caller may read).',
    tags: TAGS,
    auth: 'public',
    response: ServicesJson,
    handler: async (req) => {
      const folder = (req.params as { folder: string }).folder;
      const known = (await services.snapshot()).folders.some((f) => f.toLowerCase() === folder.toLowerCase());
      if (!known) throw new MeridianError(ServiceNotFound, `Folder '${folder}' not found.`);
      return { currentVersion: version, folders: [], services: await readable(req, folder) };
    },
  });

  for (const base of SERVICE_URLS) {
    route(app, {
      method: ['GET', 'POST'],
      url: base,
      summary: 'A feature service: its layers and tables, spatial reference, extents, capabilities.',
      tags: TAGS,
      auth: 'public',
      response: GeoServicesJson,
      handler: async (req) => serviceResource(await resolve(req)),
    });

    route(app, {
      method: ['GET', 'POST'],
      url: `${base}/layers`,
      summary: "All of a feature service's layers and tables, each as its own resource describes it.",
      tags: TAGS,
      auth: 'public',
      response: GeoServicesJson,
      handler: async (req) => layersResource(await resolve(req)),
    });

    route(app, {
      method: ['GET', 'POST'],
      url: `${base}/:layerId`,
      summary:
        'A layer (or table): fields, geometry type, extent, object id field, maxRecordCount, capabilities.',
      tags: TAGS,
      auth: 'public',
      response: GeoServicesJson,
      handler: async (req) => {
        const s = await resolve(req);
        return layerResource(s, layerOf(req, s));
      },
    });

    route(app, {
      method: ['GET', 'POST'],
      url: `${base}/:layerId/query`,
      summary:
        'Queries a layer: where, objectIds, geometry, outFields, paging (capped at maxRecordCount, exceededTransferLimit when cut), ids, count, extent, statistics; f=json|pjson|geojson.',
      tags: TAGS,
      auth: 'public',
      params: Type.Object({ ...QUERY_PARAMS, f: QueryFormat }),
      response: GeoServicesJson,
      handler: async (req, args, reply) => {
        const s = await resolve(req);
        const body = await runQuery(
          services.store,
          s,
          layerOf(req, s),
          args as Record<string, string | undefined>,
        );
        // f=pjson: route() pretty-prints the object. Otherwise the JSON as a Buffer (json-buffer.ts).
        if (args.f === 'pjson') return body;
        return reply.type('application/json; charset=utf-8').send(jsonBuffer(body));
      },
    });
  }
}
