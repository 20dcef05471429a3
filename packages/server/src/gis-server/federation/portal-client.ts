import { isMeridianError, MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { OutboundClient } from '../../kernel/outbound/guarded-client.ts';
import { PortalFailed, PortalRefused, PortalUnreachable } from './errors.ts';
import type { Federation } from './federation-store.ts';
import { mintServerCredential, SERVER_CREDENTIAL_HEADER } from './server-credential.ts';

/** An item's access as the portal decides it for one user (or anonymous). */
export interface ItemAccess {
  canRead: boolean;
  owner: string;
}

export interface RegisterServiceInput {
  name: string;
  folder: string;
  type: string;
  /** The service's URL on this server. */
  url: string;
  title: string;
  /** The portal username to own the item; absent: the federating administrator. */
  owner?: string;
}

/** This server's calls to its portal's federation endpoints (protocol step 5). */
export interface PortalClient {
  /** Who may read these items: username '' asks for anonymous. */
  access(f: Federation, itemIds: readonly string[], username: string): Promise<Record<string, ItemAccess>>;
  registerService(f: Federation, s: RegisterServiceInput): Promise<{ itemId: string }>;
  unregisterService(f: Federation, url: string): Promise<void>;
}

interface Answer {
  status?: string;
  /** The portaladmin style's error code (HTTP-like) in an HTTP 200 answer. */
  code?: number;
  messages?: string[];
  error?: { code?: number; message?: string; details?: string[] };
}

/**
 * The portal's error answer as an error of this server: 4xx (in the HTTP status or the body's
 * code, as the portaladmin style answers HTTP 200) is a refusal that sending again cannot fix;
 * 502-504 is a portal that is away; anything else (500) is a failure of the portal, retried.
 */
function portalError(portalUrl: string, op: string, status: number, body: Answer): MeridianError {
  const code = status >= 400 ? status : (body.code ?? body.error?.code);
  const said = body.messages?.join(' ') || body.error?.message || `HTTP ${status}`;
  if (status >= 502 && status <= 504)
    return new MeridianError(PortalUnreachable, `The portal ${portalUrl} is unavailable (HTTP ${status}).`);
  if (typeof code === 'number' && code >= 400 && code < 500)
    return new MeridianError(PortalRefused, `The portal ${portalUrl} refused ${op}: ${said}`);
  return new MeridianError(PortalFailed, `The portal ${portalUrl} failed to answer ${op}: ${said}`);
}

/** Each call goes through the guarded client (this server's trust store) with a freshly minted credential. */
export function createPortalClient(deps: {
  outbound: () => OutboundClient;
  now: () => number;
}): PortalClient {
  async function call<T>(f: Federation, op: string, form: Record<string, string>): Promise<T> {
    const url = `${f.portalUrl}/portaladmin/federation/servers/${encodeURIComponent(f.serverId)}/${op}`;
    const path = new URL(url).pathname;
    let res: Awaited<ReturnType<OutboundClient['request']>>;
    try {
      res = await deps.outbound().request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          [SERVER_CREDENTIAL_HEADER]: mintServerCredential(f, 'POST', path, deps.now()),
        },
        body: new URLSearchParams({ ...form, f: 'json' }).toString(),
      });
    } catch (err) {
      const cause = err instanceof Error ? err.message : String(err);
      throw new MeridianError(PortalUnreachable, `The portal ${f.portalUrl} could not be reached: ${cause}`, {
        details: isMeridianError(err) ? err.details : [],
        detail: `${op}: ${isMeridianError(err) ? err.code : cause}`,
        cause: err,
      });
    }
    let body: T & Answer;
    try {
      body = res.json<T & Answer>();
    } catch {
      if (res.status >= 502 && res.status <= 504) throw portalError(f.portalUrl, op, res.status, {});
      throw new MeridianError(
        res.status >= 400 && res.status < 500 ? PortalRefused : PortalFailed,
        `The portal ${f.portalUrl} answered ${op} with HTTP ${res.status} and no JSON.`,
      );
    }
    if (res.status >= 400 || body.status === 'error' || body.error)
      throw portalError(f.portalUrl, op, res.status, body);
    return body;
  }

  return {
    async access(f, itemIds, username) {
      const answer = await call<{ items?: Record<string, ItemAccess> }>(f, 'access', {
        itemIds: itemIds.join(','),
        username,
      });
      return answer.items ?? {};
    },
    async registerService(f, s) {
      const { owner, ...rest } = s;
      const answer = await call<{ itemId?: string }>(f, 'registerService', {
        ...rest,
        ...(owner ? { owner } : {}),
      });
      if (typeof answer.itemId !== 'string' || !answer.itemId)
        throw new MeridianError(
          PortalRefused,
          `The portal ${f.portalUrl} answered registerService without an itemId.`,
        );
      return { itemId: answer.itemId };
    },
    async unregisterService(f, url) {
      await call(f, 'unregisterService', { url });
    },
  };
}
