import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireCaller } from '../http/require-caller.ts';
import { route } from '../http/route.ts';
import { StatusSuccess } from '../http/schemas.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { ServersContext } from './context.ts';
import { ServerInvalidInput } from './errors.ts';
import { federateServer } from './federate.ts';
import {
  AccessJson,
  AccessParams,
  FederateParams,
  RegisterServiceParams,
  ServerJson,
  ServersJson,
  ServersStatusJson,
  UpdateParams,
  ValidateParams,
  ValidationJson,
} from './schemas.ts';
import { CREDENTIAL_HEADER, verifyServerCredential } from './server-credential.ts';
import { itemAccess, registerService, unregisterService } from './service-items.ts';
import { getServerRow, listServerRows } from './store.ts';
import { unfederateServer } from './unfederate.ts';
import { type ValidationStatus, validateServer } from './validate.ts';
import { serverJson, updateServerRole } from './views.ts';

const TAGS = ['portaladmin', 'servers'];
const BASE = '/portaladmin/federation/servers';
const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;

/** The worst status of several validations (any failure fails; any undetermined, undetermined). */
function overall(statuses: ValidationStatus[]): ValidationStatus {
  for (const s of ['failure', 'undetermined', 'success with warnings'] as const)
    if (statuses.includes(s)) return s;
  return 'success';
}

/** The portal side of GIS-server federation: administration, the servers list, the servers' own calls. */
export function registerServerRoutes(app: FastifyInstance, ctx: ServersContext): void {
  const db = () => ctx.kernel.db.kysely;
  const admin = { auth: 'admin' as const, errors: 'portaladmin' as const, tags: TAGS };

  route(app, {
    ...admin,
    method: ['GET', 'POST'],
    url: BASE,
    summary: 'The GIS servers federated with this portal.',
    response: ServersJson,
    handler: async () => ({ servers: (await listServerRows(db())).map((r) => serverJson(r, true)) }),
  });

  route(app, {
    ...admin,
    method: 'POST',
    url: `${BASE}/federate`,
    summary:
      'Federates a GIS server: trusts its certificate (once its fingerprint is confirmed with trustPresentedCertificate), signs in as its administrator, hands it the portal identity and shared secret, and creates items for its services. Nothing is stored unless every step succeeds.',
    params: FederateParams,
    response: StatusSuccess({ serverId: Type.String(), server: ServerJson }),
    handler: async (req, args) => {
      const row = await federateServer(ctx, args, requireCaller(req.caller).username);
      return { status: 'success' as const, serverId: row.id, server: serverJson(row, true) };
    },
  });

  route(app, {
    ...admin,
    method: ['GET', 'POST'],
    url: `${BASE}/validate`,
    summary:
      'Validates every federated server (certificate, owningSystemUrl, administrator access, portal properties).',
    response: ServersStatusJson,
    handler: async () => {
      const serversStatus = [];
      for (const row of await listServerRows(db())) serversStatus.push(await validateServer(ctx, row));
      return { serversStatus, status: overall(serversStatus.map((s) => s.status)) };
    },
  });

  route(app, {
    ...admin,
    method: ['GET', 'POST'],
    url: `${BASE}/:id`,
    summary: 'One federated server.',
    response: ServerJson,
    handler: async (req) => serverJson(await getServerRow(db(), idOf(req)), true),
  });

  route(app, {
    ...admin,
    method: ['GET', 'POST'],
    url: `${BASE}/:id/validate`,
    summary:
      'Validates a federated server: its certificate (renewed by a trusted CA: fine; a new CA or a self-signed one: the diagnosis and the fingerprint to confirm, trusted by validating again with trustPresentedCertificate), owningSystemUrl, administrator access with a token the portal mints, its portal properties.',
    params: ValidateParams,
    response: ValidationJson,
    handler: async (req, args) =>
      validateServer(ctx, await getServerRow(db(), idOf(req)), args.trustPresentedCertificate),
  });

  route(app, {
    ...admin,
    method: 'POST',
    url: `${BASE}/:id/unfederate`,
    summary:
      'Unfederates a server: tells it to go standalone (if it can be reached), removes its record, redirect URI and the trust entry the federation added, and deletes its service items from the portal (the services stay on the server).',
    response: StatusSuccess({ messages: Type.Array(Type.String()) }),
    handler: async (req) => ({
      status: 'success' as const,
      ...(await unfederateServer(ctx, await getServerRow(db(), idOf(req)))),
    }),
  });

  route(app, {
    ...admin,
    method: 'POST',
    url: `${BASE}/:id/update`,
    summary:
      "Changes a server's role (one HOSTING_SERVER per portal) and functions (comma-separated, possibly empty).",
    params: UpdateParams,
    response: StatusSuccess({ server: ServerJson }),
    handler: async (req, args) => {
      const row = await getServerRow(db(), idOf(req));
      await updateServerRole(ctx, row, args.serverRole, args.serverFunction ?? '');
      return { status: 'success' as const, server: serverJson(await getServerRow(db(), row.id), true) };
    },
  });

  for (const url of ['/sharing/rest/portals/self/servers', '/sharing/rest/portals/:portalId/servers'])
    route(app, {
      method: ['GET', 'POST'],
      url,
      summary: 'The GIS servers federated with this portal (signed-in users; adminUrl for administrators).',
      tags: ['portal', 'servers'],
      auth: 'user',
      response: ServersJson,
      handler: async (req) => {
        const isAdmin = req.caller?.role === 'org_admin';
        return { servers: (await listServerRows(db())).map((r) => serverJson(r, isAdmin)) };
      },
    });

  registerServerCalls(app, ctx);
}

/** The calls a federated server makes to the portal, authenticated by X-Meridian-Server only (protocol 5). */
function registerServerCalls(app: FastifyInstance, ctx: ServersContext): void {
  const db = () => ctx.kernel.db.kysely;
  const server = async (req: FastifyRequest) => {
    const id = idOf(req);
    const key = await ctx.keys.get(id);
    const header = req.headers[CREDENTIAL_HEADER];
    verifyServerCredential(typeof header === 'string' ? header : undefined, {
      serverId: id,
      method: req.method,
      path: req.url.split('?')[0]!,
      secret: key?.key,
      now: ctx.kernel.clock.now(),
    });
    return getServerRow(db(), id);
  };
  const common = {
    method: 'POST' as const,
    auth: 'public' as const,
    errors: 'portaladmin' as const,
    tags: ['servers'],
  };

  route(app, {
    ...common,
    url: `${BASE}/:id/access`,
    summary:
      "A federated server asks whether a portal user (empty: anonymous) may read items, by the portal's sharing rules.",
    params: AccessParams,
    response: AccessJson,
    handler: async (req, args) => {
      await server(req);
      const ids = args.itemIds
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (!ids.length || ids.length > 500)
        throw new MeridianError(
          ServerInvalidInput,
          "'itemIds' must name 1 to 500 item ids, comma-separated.",
        );
      return itemAccess(ctx, ids, args.username?.trim() ?? '');
    },
  });

  route(app, {
    ...common,
    url: `${BASE}/:id/registerService`,
    summary:
      'A federated server registers a service it created: the portal answers the id of its (new or existing) Feature Service item.',
    params: RegisterServiceParams,
    response: Type.Object({ itemId: Type.String() }),
    handler: async (req, args) => registerService(ctx, await server(req), args),
  });

  route(app, {
    ...common,
    url: `${BASE}/:id/unregisterService`,
    summary: "A federated server deleted a service: the portal deletes the service's item, if there is one.",
    params: Type.Object({ url: Type.String({ minLength: 1, maxLength: 2048 }) }),
    response: Type.Object({ success: Type.Literal(true) }),
    handler: async (req, args) => unregisterService(ctx, await server(req), args.url),
  });
}
