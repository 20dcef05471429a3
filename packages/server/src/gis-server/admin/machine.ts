/**
 * The server's machines as ArcGIS Server lists them. Meridian nodes keep no registry of each
 * other (every node of a server serves the same certificate and settings from the shared
 * database), so the server has one machine: the host name it is configured with.
 */
import { platform } from 'node:os';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { GisAdminContext } from './context.ts';
import { MachineNotFound } from './errors.ts';

export interface MachineSummary {
  machineName: string;
  adminURL: string;
}

/** The one machine: its name (the configured host name) and its administrator API's URL. */
export function thisMachine(ctx: GisAdminContext): MachineSummary {
  return { machineName: ctx.kernel.config.hostname, adminURL: `${ctx.kernel.baseUrl()}/arcgis/admin` };
}

/** The machine a path names (host names compare case-insensitively), or machine not found. */
export function machineNamed(ctx: GisAdminContext, name: string): MachineSummary {
  const m = thisMachine(ctx);
  if (name.toLowerCase() !== m.machineName.toLowerCase())
    throw new MeridianError(
      MachineNotFound,
      `This server has no machine '${name}': its machine is '${m.machineName}' (GET arcgis/admin/machines).`,
    );
  return m;
}

/** machines/<machine>: what ArcGIS Server answers, as far as it is true of a Meridian node. */
export async function machineInfo(ctx: GisAdminContext, name: string) {
  const m = machineNamed(ctx, name);
  const tls = await ctx.tls.settings();
  return {
    ...m,
    platform: platform().toUpperCase(),
    webServerSSLEnabled: true,
    webServerCertificateAlias: tls.webServerCertificateAlias,
    sslProtocols: tls.sslProtocols,
    configuredState: 'STARTED',
    synchronize: false,
    underMaintenance: false,
  };
}
