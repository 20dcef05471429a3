import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { ServersContext } from './context.ts';
import { ServerHostingExists } from './errors.ts';
import { HOSTING, listServerRows, type ServerRole, type ServerRow, updateServerRow } from './store.ts';

/** A server as portaladmin/federation/servers and portals/self/servers list it (adminUrl for administrators). */
export function serverJson(row: ServerRow, admin: boolean) {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    ...(admin ? { adminUrl: row.admin_url } : {}),
    isHosted: row.server_role === HOSTING,
    serverType: 'ArcGIS' as const,
    serverRole: row.server_role as ServerRole,
    serverFunction: row.server_function,
  };
}

/** …/servers/<id>/update: its role and functions; one hosting server per portal. */
export async function updateServerRole(
  ctx: ServersContext,
  row: ServerRow,
  role: ServerRole,
  serverFunction: string,
): Promise<void> {
  const db = ctx.kernel.db.kysely;
  if (role === HOSTING) {
    const other = (await listServerRows(db)).find((r) => r.server_role === HOSTING && r.id !== row.id);
    if (other)
      throw new MeridianError(
        ServerHostingExists,
        `${other.name} (${other.id}) is the hosting server already. ${ServerHostingExists.fix}`,
      );
  }
  const functions = serverFunction
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .join(',');
  await updateServerRow(db, row.id, {
    server_role: role,
    server_function: functions,
    modified: ctx.kernel.clock.now(),
  });
  await ctx.keys.changed(row.id);
}
