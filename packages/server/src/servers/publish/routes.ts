/**
 * content/users/<user>/publish (ArcGIS "Publish Item"): a GeoJSON or CSV item becomes a hosted
 * feature service on the portal's hosting server, by a job answered at once; and
 * content/users/<user>/items/<itemId>/status?jobId=…&jobType=publish to follow it (the source
 * item's id or the new service item's).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../../http/caller.ts';
import { requireCaller } from '../../http/require-caller.ts';
import { route } from '../../http/route.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Job } from '../../kernel/jobs/job.ts';
import type { ServersContext } from '../context.ts';
import { serviceUrl } from '../server-client.ts';
import { PublishItemInvalid, PublishNotPermitted } from './errors.ts';
import { hostingServer } from './hosting-server.ts';
import { PUBLISH_JOB, type PublishJobInput, type PublishJobResult } from './publish-job.ts';
import { checkOutputType, parseFileType, parsePublishParameters, SOURCE_TYPES } from './publish-params.ts';
import { PublishAnswer, PublishParams, StatusAnswer, StatusParams } from './schemas.ts';

const TAGS = ['content', 'servers'];
const PUBLISH_PRIVILEGE = 'portal:publisher:publishFeatures';
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const pathUser = (req: FastifyRequest) => (req.params as { username: string }).username;

/** The caller is the user named in the URL (or an administrator) and may publish. */
function checkPublisher(caller: Caller | undefined, username: string): Caller {
  const c = requireCaller(caller);
  const admin = c.role === 'org_admin';
  if (!admin && !same(c.username, username))
    throw new MeridianError(
      PublishNotPermitted,
      `You may not publish into the content of user '${username.slice(0, 64)}'. ${PublishNotPermitted.fix}`,
    );
  if (!c.privileges.includes(PUBLISH_PRIVILEGE))
    throw new MeridianError(
      PublishNotPermitted,
      `Publishing needs the privilege ${PUBLISH_PRIVILEGE} (the publisher or administrator role); ${c.username} has the role ${c.role}. ${PublishNotPermitted.fix}`,
    );
  return c;
}

export function registerPublishRoutes(app: FastifyInstance, ctx: ServersContext): void {
  const db = () => ctx.kernel.db.kysely;

  route(app, {
    method: 'POST',
    url: '/sharing/rest/content/users/:username/publish',
    summary:
      'Publishes a GeoJSON or CSV item as a hosted feature service on the hosting server. Asynchronous: answers {services:[{type, serviceurl, jobId, status:"processing", serviceName, folderName, serverId}]} at once; the job (portaladmin/jobs/<jobId>, or items/<itemId>/status?jobId=…) ends with serviceItemId.',
    tags: TAGS,
    auth: 'user',
    authorize: (req, caller) => {
      checkPublisher(caller, pathUser(req));
    },
    params: PublishParams,
    response: PublishAnswer,
    handler: async (req, args) => {
      const caller = checkPublisher(req.caller, pathUser(req));
      const owner = await ctx.findUser(pathUser(req));
      if (!owner)
        throw new MeridianError(PublishItemInvalid, `User '${pathUser(req).slice(0, 64)}' does not exist.`);
      const fileType = parseFileType(args.filetype);
      checkOutputType(args.outputType);
      const p = parsePublishParameters(args.publishParameters);
      const source = await ctx.items.source(db(), args.itemId);
      if (!source || (caller.role !== 'org_admin' && !same(source.owner, caller.username)))
        throw new MeridianError(
          source ? PublishNotPermitted : PublishItemInvalid,
          source
            ? `Item ${args.itemId} belongs to another user: you publish your own items. ${PublishNotPermitted.fix}`
            : `Item ${args.itemId.slice(0, 64)} does not exist. ${PublishItemInvalid.fix}`,
        );
      if (source.type !== SOURCE_TYPES[fileType])
        throw new MeridianError(
          PublishItemInvalid,
          `Item ${source.id} is a ${source.type} item; filetype ${fileType} publishes ${SOURCE_TYPES[fileType]} items. ${PublishItemInvalid.fix}`,
        );
      if (source.data.kind === 'none')
        throw new MeridianError(
          PublishItemInvalid,
          `Item ${source.id} has no data to publish: upload its file first. ${PublishItemInvalid.fix}`,
        );
      const server = await hostingServer(db());
      const input: PublishJobInput = {
        username: owner.username,
        itemId: source.id,
        serverId: server.id,
        fileType,
        name: p.name,
        folder: p.folder,
        ...(p.description !== undefined ? { description: p.description } : {}),
      };
      const jobId = await ctx.kernel.jobs.start(PUBLISH_JOB, input);
      return {
        services: [
          {
            type: 'Feature Service' as const,
            serviceurl: serviceUrl(server.url, { folder: p.folder, name: p.name, type: 'FeatureServer' }),
            jobId,
            status: 'processing' as const,
            serviceName: p.name,
            folderName: p.folder || '/',
            serverId: server.id,
          },
        ],
      };
    },
  });

  route(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/content/users/:username/items/:itemId/status',
    summary:
      "A publish job's status (jobType=publish): processing, completed (with serviceItemId) or failed (with the reason). For the publishing user and administrators.",
    tags: TAGS,
    auth: 'user',
    params: StatusParams,
    response: StatusAnswer,
    handler: async (req, args) => {
      const caller = requireCaller(req.caller);
      const { itemId } = req.params as { itemId: string };
      let job: Job | undefined;
      try {
        job = await ctx.kernel.jobs.get(args.jobId);
      } catch {
        job = undefined;
      }
      const input = job?.kind === PUBLISH_JOB ? (job.input as PublishJobInput) : undefined;
      const result = job?.result as PublishJobResult | null | undefined;
      const mine =
        input &&
        same(input.username, pathUser(req)) &&
        (caller.role === 'org_admin' || same(caller.username, input.username)) &&
        (itemId === input.itemId || itemId === result?.serviceItemId);
      if (!job || !input || !mine)
        throw new MeridianError(
          PublishItemInvalid,
          `There is no publish job ${args.jobId.slice(0, 64)} of item ${itemId.slice(0, 64)} for you.`,
        );
      const status =
        job.status === 'succeeded'
          ? 'completed'
          : job.status === 'failed' || job.status === 'cancelled'
            ? 'failed'
            : 'processing';
      return {
        status,
        statusMessage: job.error?.message ?? job.progress.message,
        itemId,
        jobId: job.id,
        jobType: 'publish' as const,
        progress: job.progress,
        ...(result ? { serviceItemId: result.serviceItemId, serviceurl: result.serviceurl } : {}),
        ...(job.error ? { errorCode: job.error.code } : {}),
      };
    },
  });
}
