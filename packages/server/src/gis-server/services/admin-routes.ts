/**
 * The feature services in the administrator API (/arcgis/admin/services, ArcGIS Server's
 * names, errors in the administrator shape): the lists, one service, createService (an upload
 * published by a job), delete and setPortalItem. Root-folder services are
 * /arcgis/admin/services/<name>.FeatureServer; others …/<folder>/<name>.FeatureServer.
 */
import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { route, uploadOf } from '../../http/route.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { checkIsAdmin, checkMayManage, checkMayPublish } from './access.ts';
import type { ServiceRecord } from './catalog.ts';
import { BadServiceDefinition, ServiceNotFound } from './errors.ts';
import type { FeatureServices } from './feature-services.ts';
import { dataFormat } from './publish.ts';
import { PUBLISH_JOB, type PublishJobInput, publishDir } from './publish-job.ts';
import {
  AdminServiceJson,
  AdminServicesJson,
  CreateServiceJson,
  CreateServiceParams,
  DeleteServiceJson,
} from './schemas.ts';
import { parseServiceDefinition } from './service-definition.ts';

const TAGS = ['gis-server', 'admin', 'feature services'];
const SUFFIX = /\.featureserver$/i;

interface AdminServiceParams {
  folder?: string;
  part: string;
}

export interface AdminRoutesContext {
  kernel: Pick<Kernel, 'jobs' | 'config'>;
  services: FeatureServices;
}

export function registerServiceAdminRoutes(app: FastifyInstance, ctx: AdminRoutesContext): void {
  const { services } = ctx;
  const entry = (s: ServiceRecord) => ({
    folderName: s.folder || '/',
    serviceName: s.name,
    type: s.type,
    description: s.description,
    url: services.serviceUrl(s),
    ...(s.portalItemId ? { portalItemId: s.portalItemId } : {}),
  });
  const listing = async (folder: string) => {
    const snap = await services.snapshot();
    const inFolder = [...snap.byKey.values()]
      .map((s) => s.record)
      .filter((r) => r.folder.toLowerCase() === folder.toLowerCase());
    return {
      folderName: folder || '/',
      folders: folder ? [] : [...snap.folders],
      services: inFolder.sort((a, b) => a.name.localeCompare(b.name)).map(entry),
    };
  };
  /** The service a URL names (<name>.FeatureServer, in a folder or the root); undefined if none. */
  const named = async (req: FastifyRequest) => {
    const p = req.params as AdminServiceParams;
    if (!SUFFIX.test(p.part))
      throw new MeridianError(
        ServiceNotFound,
        `'${p.part}' is not a service resource: services are addressed as <name>.FeatureServer.`,
      );
    const name = p.part.replace(SUFFIX, '');
    const found = await services.find(p.folder ?? '', name);
    return { path: p.folder ? `${p.folder}/${name}` : name, found };
  };
  const mustExist = async (req: FastifyRequest) => {
    const { path, found } = await named(req);
    if (!found) throw new MeridianError(ServiceNotFound, `Service ${path}.FeatureServer not found.`);
    return found;
  };

  route(app, {
    method: ['GET', 'POST'],
    url: '/arcgis/admin/services',
    summary: "The root folder's services and the folders (administrators).",
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({
      detail: Type.Optional(Type.String({ description: 'Accepted (every entry is detailed).' })),
    }),
    response: AdminServicesJson,
    handler: () => listing(''),
  });

  for (const prefix of ['/arcgis/admin/services', '/arcgis/admin/services/:folder']) {
    route(app, {
      method: ['GET', 'POST'],
      url: `${prefix}/:part`,
      summary: prefix.endsWith(':folder')
        ? 'A service in a folder (<name>.FeatureServer): its definition and layers.'
        : 'A folder (its services), or a root-folder service (<name>.FeatureServer): its definition and layers.',
      tags: TAGS,
      auth: 'user',
      errors: 'portaladmin',
      params: Type.Object({ detail: Type.Optional(Type.String({ description: 'Accepted.' })) }),
      response: Type.Union([AdminServicesJson, AdminServiceJson]),
      handler: async (req) => {
        const p = req.params as AdminServiceParams;
        if (!p.folder && !SUFFIX.test(p.part)) {
          checkIsAdmin(req.caller);
          const folder = (await services.snapshot()).folders.find(
            (f) => f.toLowerCase() === p.part.toLowerCase(),
          );
          if (!folder) throw new MeridianError(ServiceNotFound, `Folder '${p.part}' not found.`);
          return listing(folder);
        }
        const s = await mustExist(req);
        checkMayManage(req.caller, s.record);
        const r = s.record;
        return {
          serviceName: r.name,
          folderName: r.folder || '/',
          type: r.type,
          description: r.description,
          access: r.access,
          owner: r.owner,
          portalItemId: r.portalItemId,
          maxRecordCount: r.maxRecordCount,
          url: services.serviceUrl(r),
          created: r.created,
          modified: r.modified,
          layers: s.layers.map((l) => ({
            id: l.id,
            name: l.name,
            geometryType: l.geometryType,
            featureCount: l.featureCount,
          })),
        };
      },
    });

    route(app, {
      method: 'POST',
      url: `${prefix}/:part/delete`,
      summary:
        "Deletes a service: its layers' data and its catalog entry (a missing service is reported, not refused).",
      tags: TAGS,
      auth: 'user',
      errors: 'portaladmin',
      response: DeleteServiceJson,
      handler: async (req) => {
        const caller = checkMayPublish(req.caller);
        const { path, found } = await named(req);
        if (!found)
          return {
            status: 'success' as const,
            message: `Service ${path}.FeatureServer does not exist (already deleted?).`,
          };
        checkMayManage(caller, found.record);
        await services.remove(found.record.folder, found.record.name);
        return { status: 'success' as const };
      },
    });

    route(app, {
      method: 'POST',
      url: `${prefix}/:part/setPortalItem`,
      summary: 'Records the portal item that stands for the service (a federated server; administrators).',
      tags: TAGS,
      auth: 'admin',
      errors: 'portaladmin',
      params: Type.Object({
        itemId: Type.String({
          maxLength: 64,
          pattern: '^[A-Za-z0-9_-]*$',
          description: "The item's id ('' to clear).",
        }),
      }),
      response: DeleteServiceJson,
      handler: async (req, args) => {
        const s = await mustExist(req);
        await services.setPortalItem(s.record, args.itemId || null);
        return { status: 'success' as const };
      },
    });
  }

  route(app, {
    method: 'POST',
    url: '/arcgis/admin/services/createService',
    summary:
      'Publishes a feature service from a GeoJSON or CSV file (multipart: service JSON and file); answers the publish job.',
    tags: TAGS,
    auth: 'user',
    // Checked before any file part is written: only publishers and administrators spend disk.
    authorize: (_req, caller) => {
      checkMayPublish(caller);
    },
    errors: 'portaladmin',
    files: { file: 'The data: a GeoJSON FeatureCollection or a CSV file with a header row.' },
    params: CreateServiceParams,
    response: CreateServiceJson,
    handler: async (req, args) => {
      const caller = checkMayPublish(req.caller);
      const def = parseServiceDefinition(args.service);
      const upload = uploadOf(req, 'file');
      if (!upload)
        throw new MeridianError(
          BadServiceDefinition,
          "The data file is missing: send it as the file part 'file'.",
        );
      const format = dataFormat(args.fileType, upload.filename);
      const { folder, name } = await services.checkPublishable({
        folder: def.folderName,
        name: def.serviceName,
      });
      const file = join(
        await publishDir(ctx.kernel.config.home),
        `${randomBytes(12).toString('hex')}.${format}`,
      );
      await upload.moveTo(file);
      const input: PublishJobInput = {
        name,
        folder,
        description: def.description,
        access: def.access,
        owner: caller.username,
        format,
        file,
        filename: upload.filename,
        maxRecordCount: ctx.kernel.config.server.maxRecordCount,
      };
      const jobId = await ctx.kernel.jobs.start(PUBLISH_JOB, input).catch(async (err) => {
        await unlink(file).catch(() => {});
        throw err;
      });
      return {
        status: 'success' as const,
        jobId,
        serviceUrl: services.serviceUrl({ folder, name }),
        folderName: folder || '/',
        serviceName: name,
      };
    },
  });
}
