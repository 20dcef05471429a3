import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { type ServersContext, serverKeyword } from './context.ts';
import { ServerInvalidInput } from './errors.ts';
import { normaliseServiceUrl } from './federate.ts';
import type { ServerRow } from './store.ts';

/** Item deletions the portal makes because the server asked: its hook must not ask the server back. */
export const deletingForServer = new Set<string>();

function checkServiceUrl(row: ServerRow, url: string): string {
  let normal: string;
  try {
    normal = normaliseServiceUrl(url);
  } catch {
    throw new MeridianError(ServerInvalidInput, `'url' is not a URL: "${url.slice(0, 200)}".`);
  }
  if (!normal.toLowerCase().startsWith(`${row.url.toLowerCase()}/rest/services/`))
    throw new MeridianError(
      ServerInvalidInput,
      `'url' (${normal.slice(0, 200)}) is not a service of ${row.url}: a server registers its own services only.`,
    );
  return normal;
}

/**
 * …/servers/<id>/registerService (protocol 5): the item of a service created on the server —
 * a private "Feature Service" item with its url, owned by `owner` when that is a user of this
 * portal, else by the administrator who federated the server (the server's owners are its own
 * accounts, such as its `admin`, which may be no one here). Idempotent by url: the same url
 * answers the same item.
 */
export async function registerService(
  ctx: ServersContext,
  row: ServerRow,
  args: {
    name: string;
    folder?: string | undefined;
    url: string;
    owner?: string | undefined;
    title?: string | undefined;
  },
): Promise<{ itemId: string }> {
  const url = checkServiceUrl(row, args.url);
  const db = ctx.kernel.db.kysely;
  const [existing] = await ctx.items.itemIdsByUrl(db, url);
  if (existing) return { itemId: existing };
  const wanted = args.owner?.trim();
  const owner = (wanted ? await ctx.findUser(wanted) : undefined) ?? (await ctx.findUser(row.federated_by));
  if (!owner)
    throw new MeridianError(
      ServerInvalidInput,
      `Neither 'owner' ('${(wanted ?? '').slice(0, 64)}') nor the administrator who federated the server ('${row.federated_by.slice(0, 64)}') is a user of this portal: federate the server again as a current administrator.`,
    );
  if (wanted && owner.username.toLowerCase() !== wanted.toLowerCase())
    ctx.kernel.log.info(
      { server: row.id, owner: wanted, itemOwner: owner.username },
      'servers: registerService owner is not a portal user; the federating administrator owns the item',
    );
  const itemId = await ctx.items.createUrlItem(db, {
    owner: owner.username,
    title: args.title?.trim() || args.name,
    type: 'Feature Service',
    url,
    typeKeywords: ['Data', 'Service', 'Feature Service', serverKeyword(row.id)],
  });
  return { itemId };
}

/** …/servers/<id>/unregisterService: the server deleted a service; its item goes (if there is one). */
export async function unregisterService(
  ctx: ServersContext,
  row: ServerRow,
  url: string,
): Promise<{ success: true }> {
  const normal = checkServiceUrl(row, url);
  const db = ctx.kernel.db.kysely;
  for (const id of await ctx.items.itemIdsByUrl(db, normal)) {
    deletingForServer.add(id);
    try {
      await ctx.items.deleteAsPortal(id, db);
    } finally {
      deletingForServer.delete(id);
    }
  }
  return { success: true };
}

/**
 * …/servers/<id>/access: whether the portal user (or anonymous, for an empty username) may read
 * each item, by the content module's rules, and its owner. Unknown items answer canRead false.
 */
export async function itemAccess(
  ctx: ServersContext,
  itemIds: readonly string[],
  username: string,
): Promise<{ items: Record<string, { canRead: boolean; owner: string }> }> {
  const user = username ? await ctx.findUser(username) : undefined;
  const viewer = { username: user?.username ?? null, isAdmin: user?.role === 'org_admin' };
  const found = await ctx.items.readAccess(ctx.kernel.db.kysely, itemIds, viewer);
  const items: Record<string, { canRead: boolean; owner: string }> = {};
  for (const id of itemIds) items[id] = found[id] ?? { canRead: false, owner: '' };
  return { items };
}
