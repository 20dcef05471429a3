/**
 * After the hosting server published: the portal's item for the new service. The server's
 * afterCreate hook has usually registered it already (registerService, owner = the publishing
 * user); if it has not (its call to the portal is still queued), the portal registers it now —
 * idempotent by url, so both paths end with one item. Its title, description, summary and tags
 * come from the source item. If anything fails, removeService undoes the publish.
 */

import type { ItemSource } from '../../content/module.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { ServersContext } from '../context.ts';
import { tokenDeps } from '../context.ts';
import { normaliseServiceUrl } from '../federate.ts';
import { serviceOfUrl } from '../server-client.ts';
import { adminServerToken } from '../server-tokens.ts';
import { deletingForServer, registerService } from '../service-items.ts';
import type { ServerRow } from '../store.ts';
import { PublishFailed } from './errors.ts';

export interface PublishedService {
  /** The service URL the server answered. */
  url: string;
  owner: string;
  /** The description asked for in publishParameters (else the source item's). */
  description: string | undefined;
}

/** The service URL, normalised, checked to be the server's; its folder and name. */
export function serviceRefOf(server: ServerRow, serviceUrl: string) {
  const url = normaliseServiceUrl(serviceUrl);
  const ref = serviceOfUrl(server.url, url);
  if (!ref)
    throw new MeridianError(
      PublishFailed,
      `The hosting server answered a service URL that is not its own (${url.slice(0, 200)}); nothing was kept.`,
    );
  return { url, ref };
}

export async function linkServiceItem(
  ctx: ServersContext,
  server: ServerRow,
  service: PublishedService,
  source: ItemSource,
): Promise<string> {
  const db = ctx.kernel.db.kysely;
  const { url, ref } = serviceRefOf(server, service.url);
  const { itemId } = await registerService(ctx, server, {
    name: ref.name,
    folder: ref.folder,
    url,
    owner: service.owner,
    title: source.title,
  });
  // The server's own registration may have raced this one: the oldest item stays, others go
  // (without deleting the service: it is the same one).
  const [keep, ...extra] = await ctx.items.itemIdsByUrl(db, url);
  for (const id of extra) await deleteItemOnly(ctx, id);
  const linked = keep ?? itemId;
  await ctx.items.describe(db, linked, {
    title: source.title,
    description: service.description ?? source.description,
    snippet: source.snippet,
    tags: source.tags,
  });
  return linked;
}

/** Deletes a service's item on the portal, leaving the service on its server. */
export async function deleteItemOnly(ctx: ServersContext, itemId: string): Promise<void> {
  deletingForServer.add(itemId);
  try {
    await ctx.items.deleteAsPortal(itemId, ctx.kernel.db.kysely);
  } finally {
    deletingForServer.delete(itemId);
  }
}

/**
 * Undoes a publish whose service exists on the server: its items on the portal are deleted
 * (their deletion hook deletes the service on the server, with retries); with no item, the
 * service is deleted on the server directly. Failures are logged, never thrown over the
 * publish's own error.
 */
export async function removeService(
  ctx: ServersContext,
  server: ServerRow,
  serviceUrl: string,
): Promise<void> {
  const log = ctx.kernel.log;
  try {
    const { url, ref } = serviceRefOf(server, serviceUrl);
    const items = await ctx.items.itemIdsByUrl(ctx.kernel.db.kysely, url);
    for (const id of items) await ctx.items.deleteAsPortal(id, ctx.kernel.db.kysely);
    if (items.length) return;
    const token = await adminServerToken(tokenDeps(ctx), server.id, server.federated_by);
    if (token) await ctx.client.deleteService(server.admin_url, token, ref);
  } catch (err) {
    log.warn({ err, service: serviceUrl }, 'undoing a failed publish on the hosting server failed');
  }
}
