/**
 * machines, machines/<machine> and machines/<machine>/edit: the server's one machine, and the
 * ArcGIS Server way of choosing the web server certificate (webServerCertificateAlias), which
 * the tls module then serves live on every node.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { route } from '../../http/route.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { GisAdminContext } from './context.ts';
import { MachineEditInvalid } from './errors.ts';
import { machineInfo, machineNamed, thisMachine } from './machine.ts';
import { Done, MachineJson, MachinesJson } from './schemas.ts';

const TAGS = ['gis-server admin', 'machines'];
const nameOf = (req: FastifyRequest) => (req.params as { machine: string }).machine;

export function registerMachineRoutes(app: FastifyInstance, ctx: GisAdminContext): void {
  const common = { tags: TAGS, auth: 'admin', errors: 'portaladmin' } as const;

  route(app, {
    ...common,
    method: ['GET', 'POST'],
    url: '/arcgis/admin/machines',
    summary: "The server's machines: one, named by its configured host name (every node serves the same).",
    response: MachinesJson,
    handler: () => ({ machines: [thisMachine(ctx)] }),
  });

  route(app, {
    ...common,
    method: ['GET', 'POST'],
    url: '/arcgis/admin/machines/:machine',
    summary: 'The machine: its administrator URL and the web server certificate it serves.',
    response: MachineJson,
    handler: (req) => machineInfo(ctx, nameOf(req)),
  });

  route(app, {
    ...common,
    method: 'POST',
    url: '/arcgis/admin/machines/:machine/edit',
    summary:
      'Chooses the web server certificate (webServerCertificateAlias): served live on every node; one that does not fit the host name is refused unless force.',
    params: Type.Object({
      webServerCertificateAlias: Type.Optional(
        Type.String({ description: 'Alias of a certificate of the store (with its key).' }),
      ),
      adminURL: Type.Optional(
        Type.String({
          description: 'Accepted only unchanged: it follows hostname, https.port and publicUrl.',
        }),
      ),
      force: Type.Optional(
        Type.Boolean({
          description: 'Serve a certificate that does not cover the host name, or is out of date.',
        }),
      ),
    }),
    response: Done,
    handler: async (req, a) => {
      const m = machineNamed(ctx, nameOf(req));
      if (a.adminURL !== undefined && a.adminURL.replace(/\/+$/, '') !== m.adminURL)
        throw new MeridianError(
          MachineEditInvalid,
          `adminURL cannot be changed here: it is ${m.adminURL}, from the settings hostname, https.port and publicUrl.`,
        );
      if (a.webServerCertificateAlias === undefined) return { status: 'success' as const };
      const r = await ctx.tls.update({
        webServerCertificateAlias: a.webServerCertificateAlias,
        force: a.force,
      });
      return r.warnings.length
        ? { status: 'success' as const, warnings: r.warnings }
        : { status: 'success' as const };
    },
  });
}
