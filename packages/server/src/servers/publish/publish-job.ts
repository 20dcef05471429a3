/**
 * The publish job (kind servers.publish): the source item's data file goes to the hosting
 * server's createService, the server's publish job is followed to its end with its progress
 * relayed, then the service's portal item is found (or made) and described from the source
 * item. Every call to the server carries a server token minted for it. A failure leaves
 * nothing on the portal: the server's own failures keep nothing there either, and a failure
 * after the service exists undoes it.
 */
import type { ItemSource } from '../../content/module.ts';
import { isMeridianError, MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { JobContext } from '../../kernel/jobs/job.ts';
import { OutboundRequestBodyFailed } from '../../kernel/outbound/errors.ts';
import type { ServersContext } from '../context.ts';
import { answerError } from '../server-client.ts';
import type { ServerRow } from '../store.ts';
import { PublishFailed, PublishItemInvalid } from './errors.ts';
import { sameHostingServer } from './hosting-server.ts';
import { linkServiceItem, removeService } from './link-service-item.ts';
import { POLL_DEFAULTS, type PollOptions, pollServerJob, serverJobError } from './poll-server-job.ts';
import { type PublishFileType, SOURCE_TYPES } from './publish-params.ts';
import { type PublishTokenDeps, publishToken } from './publish-token.ts';
import type { PublishClient, PublishFile } from './server-publish-client.ts';

export const PUBLISH_JOB = 'servers.publish';

/** What the job is given (no secret: tokens are minted as it runs). */
export interface PublishJobInput {
  username: string;
  itemId: string;
  serverId: string;
  fileType: PublishFileType;
  name: string;
  folder: string;
  description?: string;
}

/** The job's result: the new service item, its URL, and the server's job. */
export interface PublishJobResult {
  serviceItemId: string;
  serviceurl: string;
  type: 'Feature Service';
  serverId: string;
  serverJobId: string;
}

export interface PublishJobDeps extends PublishTokenDeps {
  client: PublishClient;
  poll?: PollOptions;
}

/**
 * The source item, still there, still of the type and with data: what to upload (a stored file
 * by its path, streamed as it is sent; text kept in the item as its bytes).
 */
export async function sourceData(
  ctx: ServersContext,
  itemId: string,
  fileType: PublishFileType,
): Promise<{ source: ItemSource; file: PublishFile }> {
  const source = await ctx.items.source(ctx.kernel.db.kysely, itemId);
  const bad = (why: string) =>
    new MeridianError(
      PublishItemInvalid,
      `Item ${itemId} cannot be published: ${why}. ${PublishItemInvalid.fix}`,
    );
  if (!source) throw bad('it does not exist (any more)');
  if (source.type !== SOURCE_TYPES[fileType])
    throw bad(
      `it is a ${source.type} item, and filetype ${fileType} publishes ${SOURCE_TYPES[fileType]} items`,
    );
  if (source.data.kind === 'none') throw bad('it has no data (upload its file first)');
  const ext = fileType === 'geojson' ? '.geojson' : '.csv';
  if (source.data.kind === 'text') {
    const data = Buffer.from(source.data.text, 'utf8');
    return { source, file: { name: `${itemId}${ext}`, fileType, size: data.byteLength, data } };
  }
  const { name, path, size } = source.data;
  return { source, file: { name: name || `${itemId}${ext}`, fileType, size, path } };
}

/**
 * The item's stored file could not be read while it was sent (gone from the file store,
 * unreadable, changed meanwhile): said of the item; the file's path goes to the log only.
 */
function unreadableData(ctx: ServersContext, itemId: string, err: unknown): unknown {
  if (!isMeridianError(err) || err.code !== OutboundRequestBodyFailed.code) return err;
  ctx.kernel.log.warn({ err, itemId }, "publishing: the item's data file could not be read");
  return new MeridianError(
    PublishItemInvalid,
    `Item ${itemId} cannot be published: its data file could not be read from the portal's file store while it was uploaded (missing, unreadable, or changed meanwhile; the portal's log names the file). Upload the item's file again, then publish it.`,
    { detail: err.message, cause: err },
  );
}

export function registerPublishJob(deps: PublishJobDeps): void {
  deps.ctx.kernel.jobs.register<PublishJobInput, PublishJobResult>(PUBLISH_JOB, (job) =>
    runPublish(deps, job),
  );
}

/** What publishToHosting sends: the data file and the service to make of it. */
export interface HostingPublish {
  server: ServerRow;
  /** A server token for each call (minted per call by the caller). */
  token(): Promise<string>;
  file: PublishFile;
  service: { name: string; folder: string; description: string };
  /** Said of a data file that cannot be read while it is sent (the publish job's item). */
  unreadable?(err: unknown): unknown;
}

/**
 * The hosting server's createService with the data file (streamed), then its job followed to
 * its end with its progress relayed: the new service's URL and the server's job. A server that
 * refuses or fails keeps nothing (servers.publish_failed / publish_server_lost).
 */
export async function publishToHosting(
  deps: Pick<PublishJobDeps, 'client' | 'poll'>,
  job: Pick<JobContext<unknown>, 'progress' | 'signal'>,
  p: HostingPublish,
): Promise<{ serviceUrl: string; serverJobId: string }> {
  const { client } = deps;
  const { server, file } = p;
  job.progress(0, null, `Uploading ${file.name} (${file.size} bytes) to ${server.url}`);
  const created = await client
    .createService(
      server.admin_url,
      await p.token(),
      {
        serviceName: p.service.name,
        folderName: p.service.folder,
        description: p.service.description,
        type: 'FeatureServer',
      },
      file,
    )
    .catch((err: unknown) => {
      throw p.unreadable ? p.unreadable(err) : err;
    });
  const refused = answerError(created);
  if (refused)
    throw new MeridianError(
      PublishFailed,
      `The hosting server refused to publish: ${refused} ${PublishFailed.fix}`,
    );
  const serverJobId = String(created.jobId ?? '');
  const serviceUrl = String(created.serviceUrl ?? '');
  if (!serverJobId || !serviceUrl)
    throw new MeridianError(
      PublishFailed,
      'The hosting server accepted the data but answered no jobId or serviceUrl.',
    );
  const ended = await pollServerJob(
    job,
    { client, adminUrl: server.admin_url, token: p.token, serverJobId },
    deps.poll ?? POLL_DEFAULTS,
  );
  if (ended.status !== 'succeeded') throw serverJobError(ended);
  return { serviceUrl, serverJobId };
}

async function runPublish(deps: PublishJobDeps, job: JobContext<PublishJobInput>): Promise<PublishJobResult> {
  const { ctx } = deps;
  const i = job.input;
  const db = ctx.kernel.db.kysely;
  const server = await sameHostingServer(db, i.serverId);
  const { source, file } = await sourceData(ctx, i.itemId, i.fileType);
  const { serviceUrl, serverJobId } = await publishToHosting(deps, job, {
    server,
    token: () => publishToken(deps, server.id, i.username),
    file,
    service: { name: i.name, folder: i.folder, description: i.description ?? source.description },
    unreadable: (err) => unreadableData(ctx, i.itemId, err),
  });

  try {
    job.signal.throwIfAborted();
    const current = await sameHostingServer(db, server.id);
    const serviceItemId = await linkServiceItem(
      ctx,
      current,
      { url: serviceUrl, owner: i.username, description: i.description },
      source,
    );
    job.progress(1, 1, `Published ${serviceUrl}`);
    return {
      serviceItemId,
      serviceurl: serviceUrl,
      type: 'Feature Service',
      serverId: server.id,
      serverJobId,
    };
  } catch (err) {
    await removeService(ctx, server, serviceUrl);
    throw err;
  }
}
