/**
 * Who may read a feature service: the seam between the services and the server's security
 * model. A standalone server uses standaloneAccess (public services open; private ones need a
 * token of this server); a federated server supplies its own (item sharing on the portal).
 * The request's token has already been verified when check() runs: an invalid one was refused
 * with 498 before the route.
 */
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../http/caller.ts';
import { requireCaller } from '../../http/require-caller.ts';
import { Forbidden } from '../../kernel/errors/common.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { ServiceRecord } from './catalog.ts';

export interface ServiceAccess {
  /** Resolves when the request may read the service; throws 499 (token required), 498 or 403. */
  check(req: FastifyRequest, service: ServiceRecord): Promise<void>;
}

/** Public services are open to anyone; private ones to any signed-in user of this server. */
export const standaloneAccess: ServiceAccess = {
  async check(req, service) {
    if (service.access === 'public') return;
    requireCaller(req.caller);
  },
};

/** Administrators only. */
export function checkIsAdmin(caller: Caller | undefined): Caller {
  const c = requireCaller(caller);
  if (c.role === 'org_admin') return c;
  throw new MeridianError(Forbidden, `User '${c.username}' is not an administrator of this server.`);
}

/** Publishing: administrators and publishers (a publisher may manage only the services it owns). */
export function checkMayPublish(caller: Caller | undefined): Caller {
  const c = requireCaller(caller);
  if (c.role === 'org_admin' || c.role === 'org_publisher') return c;
  throw new MeridianError(
    Forbidden,
    `User '${c.username}' may not publish services: that takes the administrator or publisher role.`,
  );
}

/** Deleting or changing a service: administrators, or the publisher who owns it. */
export function checkMayManage(caller: Caller | undefined, service: ServiceRecord): Caller {
  const c = checkMayPublish(caller);
  if (c.role === 'org_admin' || c.username === service.owner) return c;
  throw new MeridianError(
    Forbidden,
    `User '${c.username}' may not change the service '${service.name}': only its owner or an administrator may.`,
  );
}
