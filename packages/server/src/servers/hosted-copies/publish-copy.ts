/**
 * A collaboration copy of a Feature Service, made on this portal's hosting server from the
 * GeoJSON file that arrived: published through the same path as Publish Item
 * (publish/publish-job.ts publishToHosting), under a name the caller derives from the copy's
 * origin and data version, so that a run interrupted after the service was made finds it and
 * reuses it instead of making a second one. The item the copy is (the collaboration's received
 * item) is then settled as the service's one portal item; a replaced version's service is
 * retired in the transaction that swaps the item to the new one.
 *
 * A service is recorded (hosted_copy_services) before it is made and cleared when its item
 * settles: one whose change never applied (the item unshared in between, the run failing after
 * the publish) stays recorded, and the collaboration sweep retires it (retireUnsettledCopy)
 * once no received item points at it.
 */
import { stat } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { type ServersContext, serverKeyword, tokenDeps } from '../context.ts';
import { ServerUnreachable } from '../errors.ts';
import { normaliseServiceUrl } from '../federate.ts';
import { hostingServer } from '../publish/hosting-server.ts';
import { deleteItemOnly, serviceRefOf } from '../publish/link-service-item.ts';
import { type PublishJobDeps, publishToHosting } from '../publish/publish-job.ts';
import { serverRequest, serviceUrl } from '../server-client.ts';
import { adminServerToken } from '../server-tokens.ts';
import { recordServiceDeletion } from '../service-deletions.ts';
import { HOSTING, listServerRows, type ServerRow } from '../store.ts';
import { serverOfService } from './export-features.ts';
import './tables.ts';

export interface CopyToPublish {
  /** The service name (letters, digits, underscores): the same for the same origin and version. */
  name: string;
  /** The GeoJSON file. */
  path: string;
  description: string;
  signal?: AbortSignal | undefined;
}

export interface PublishedCopy {
  /** The service URL, as items keep it. */
  url: string;
  /** The type keywords the item of the service carries (its server: deleting the item deletes the service). */
  keywords: string[];
  /** Whether the service was there already (a run interrupted after it was made). */
  reused: boolean;
}

async function adminToken(ctx: ServersContext, server: ServerRow): Promise<string> {
  const token = await adminServerToken(tokenDeps(ctx), server.id, server.federated_by);
  if (!token)
    throw new MeridianError(ServerUnreachable, `The hosting server ${server.url} was unfederated meanwhile.`);
  return token;
}

/** Whether the hosting server has a service at this URL (it answers its layers). */
async function serviceExists(ctx: ServersContext, server: ServerRow, url: string): Promise<boolean> {
  const answer = await serverRequest(
    ctx.pki.outbound,
    `${url}?f=json`,
    {
      headers: {
        accept: 'application/json',
        'x-esri-authorization': `Bearer ${await adminToken(ctx, server)}`,
      },
      maxBytes: 4 * 1024 * 1024,
    },
    { name: `The hosting server ${new URL(url).host}` },
  );
  return Array.isArray(answer.layers) || Array.isArray(answer.tables);
}

/** Whether this portal has a hosting server to publish copies to. */
export async function hasHostingServer(ctx: ServersContext): Promise<boolean> {
  return (await listServerRows(ctx.kernel.db.kysely)).some((r) => r.server_role === HOSTING);
}

/** servers.no_hosting_server when this portal has no hosting server. */
export async function requireHostingServer(ctx: ServersContext): Promise<void> {
  await hostingServer(ctx.kernel.db.kysely);
}

/** Publishes the copy (or finds it published already); servers.no_hosting_server, publish_* on failure. */
export async function publishCopy(
  deps: Pick<PublishJobDeps, 'ctx' | 'client' | 'poll'>,
  c: CopyToPublish,
): Promise<PublishedCopy> {
  const { ctx } = deps;
  const server = await hostingServer(ctx.kernel.db.kysely);
  const url = normaliseServiceUrl(
    serviceUrl(server.url, { folder: '', name: c.name, type: 'FeatureServer' }),
  );
  const keywords = [serverKeyword(server.id)];
  // Recorded first (or again: a reuse is as young as a publish), cleared when its item settles.
  await recordUnsettled(ctx, server.id, url);
  if (await serviceExists(ctx, server, url)) return { url, keywords, reused: true };
  const signal = c.signal ?? new AbortController().signal;
  const made = await publishToHosting(
    deps,
    { progress: () => {}, signal },
    {
      server,
      token: () => adminToken(ctx, server),
      file: { name: `${c.name}.geojson`, fileType: 'geojson', size: (await stat(c.path)).size, path: c.path },
      service: { name: c.name, folder: '', description: c.description },
    },
  );
  return { url: serviceRefOf(server, made.serviceUrl).url, keywords, reused: false };
}

/**
 * After the item that is the copy was committed with the service's URL: any other item of that
 * URL (the one the server registered when it made the service) goes, leaving the service, and
 * the server is told which item governs access to it. Idempotent.
 */
export async function settleCopy(ctx: ServersContext, url: string, itemId: string): Promise<void> {
  const server = await serverOfService(ctx, url);
  if (!server) return;
  const db = ctx.kernel.db.kysely;
  for (const id of await ctx.items.itemIdsByUrl(db, url)) if (id !== itemId) await deleteItemOnly(ctx, id);
  const { ref } = serviceRefOf(server, url);
  await ctx.client.setPortalItem(server.admin_url, await adminToken(ctx, server), ref, itemId);
  await db.deleteFrom('hosted_copy_services').where('url', 'in', urlKeys(url)).execute();
}

/** The keys a service URL is recorded under (as given, and normalised). */
function urlKeys(url: string): string[] {
  try {
    return [...new Set([url, normaliseServiceUrl(url)])];
  } catch {
    return [url];
  }
}

async function recordUnsettled(ctx: ServersContext, serverId: string, url: string): Promise<void> {
  const created = ctx.kernel.clock.now();
  await ctx.kernel.db.kysely
    .insertInto('hosted_copy_services')
    .values({ url, server_id: serverId, created })
    .onConflict((oc) => oc.column('url').doUpdateSet({ server_id: serverId, created }))
    .execute();
}

/** Copy services published before `before` whose item never settled on them. */
export async function unsettledCopies(ctx: ServersContext, before: number): Promise<string[]> {
  const rows = await ctx.kernel.db.kysely
    .selectFrom('hosted_copy_services')
    .select('url')
    .where('created', '<', before)
    .orderBy('created')
    .execute();
  return rows.map((r) => r.url);
}

/**
 * Retires a copy service no item settled on: the items of its URL on this portal (the one its
 * server registered when it made it) go, leaving the service, then the service's deletion is
 * recorded for the deletion queue (service-deletions.ts: sent after the commit, retried until
 * done) in the transaction that forgets it. A server unfederated meanwhile: only forgotten.
 */
export async function retireUnsettledCopy(ctx: ServersContext, url: string): Promise<void> {
  const db = ctx.kernel.db.kysely;
  const server = await serverOfService(ctx, url);
  const items = await ctx.items.itemIdsByUrl(db, url);
  if (server) for (const id of items) await deleteItemOnly(ctx, id);
  await db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('hosted_copy_services').where('url', '=', url).executeTakeFirst();
    if (!server || Number(gone.numDeletedRows) !== 1) return; // another node retired it meanwhile
    await recordServiceDeletion(ctx, trx, {
      serverId: server.id,
      itemId: items[0] ?? '',
      url,
      by: server.federated_by,
    });
  });
}

/** In the transaction that moves the item to a new version's service: the old service is to be deleted. */
export async function retireCopy(
  ctx: ServersContext,
  trx: Kysely<Database>,
  url: string,
  itemId: string,
): Promise<void> {
  const server = await serverOfService(ctx, url, trx);
  if (!server) return;
  await recordServiceDeletion(ctx, trx, { serverId: server.id, itemId, url, by: server.federated_by });
}
