import type { ServersContext } from './context.ts';
import { serverKeyword, tokenDeps } from './context.ts';
import { standaloneForm } from './portal-identity.ts';
import { answerError } from './server-client.ts';
import { adminServerToken } from './server-tokens.ts';
import { deleteServerRow, listServerRows, type ServerRow } from './store.ts';

/**
 * portaladmin/federation/servers/<id>/unfederate: tells the server to go standalone (when it
 * can be reached; a server that cannot is still unfederated here, and says so), then removes
 * the portal's record, the server's redirect URI and the trust entry the federation added (when
 * no other server uses it). The service items are deleted with it (they point at services that
 * no longer accept this portal's tokens); the services stay on the server.
 */
export async function unfederateServer(ctx: ServersContext, row: ServerRow): Promise<{ messages: string[] }> {
  const messages: string[] = [];
  const token = await adminServerToken(tokenDeps(ctx), row.id, 'portal-unfederate');
  try {
    const json = await ctx.client.updateSecurityConfig(row.admin_url, token!, standaloneForm());
    const error = answerError(json);
    messages.push(
      error
        ? `${row.name} refused to go standalone (${error}): unfederate it on the server too (security/config/update with authenticationTier=GIS_SERVER).`
        : `${row.name} is standalone again.`,
    );
  } catch (err) {
    messages.push(
      `${row.name} could not be reached (${(err as Error).message}): it still believes it is federated; unfederate it on the server too.`,
    );
  }
  const db = ctx.kernel.db.kysely;
  await db.transaction().execute(async (trx) => {
    await deleteServerRow(trx, row.id);
    await ctx.redirects.remove(row.url, trx);
  });
  await ctx.keys.changed(row.id);
  let items = 0;
  // The item's URL names the server; its keyword says this federation made it.
  for (const id of await ctx.items.itemIdsByKeyword(db, serverKeyword(row.id)))
    if (await ctx.items.deleteAsPortal(id, db)) items++;
  if (items)
    messages.push(`${items} service item(s) deleted from the portal (the services stay on the server).`);
  if (row.trust_alias && !(await listServerRows(db)).some((r) => r.trust_alias === row.trust_alias)) {
    await ctx.pki.trust.remove(row.trust_alias).catch(() => {});
    ctx.pki.outbound.invalidate();
    messages.push(`Trust entry '${row.trust_alias}' removed.`);
  }
  return { messages };
}
