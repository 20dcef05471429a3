import { randomBytes } from 'node:crypto';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { definePipeline, step } from '../kernel/pipeline/pipeline.ts';
import { type ServersContext, serverKeyword } from './context.ts';
import { ServerAlreadyFederated, ServerBadCredentials, ServerNotMeridian } from './errors.ts';
import { portalIdentity, standaloneForm } from './portal-identity.ts';
import { secretContext } from './secrets.ts';
import { answerError, expectSuccess, type Json, type ServiceRef, serviceUrl } from './server-client.ts';
import { adminUrlOf, type ServerUrl, serverRoot } from './server-url.ts';
import { findServerByKey, HOSTING, insertServerRow, listServerRows, type ServerRow } from './store.ts';
import { reachTrusted } from './trust-server.ts';

export interface FederateInput {
  url: string;
  adminUrl?: string | undefined;
  username: string;
  password: string;
  trustPresentedCertificate?: string | undefined;
}

interface Ctx {
  deps: ServersContext;
  input: FederateInput;
  by: string;
  id: string;
  secret: Buffer;
  root?: ServerUrl;
  adminUrl?: string;
  trustAlias?: string;
  token?: string;
  remoteId?: string;
  /** The server was told about this portal: undo it if a later step fails. */
  handedOver: boolean;
  services: (ServiceRef & { url: string; portalItemId?: string })[];
  created: { service: ServiceRef; itemId: string }[];
  row?: ServerRow;
}

/** The federation as named steps (protocol 1–3 and 6); each run leaves a trace (pipeline servers.federate). */
const FEDERATE = definePipeline<Ctx>('servers.federate', [
  step('parse_urls', async (c) => {
    c.root = serverRoot(c.input.url, 'url');
    c.adminUrl = adminUrlOf(c.root, c.input.adminUrl);
    if (await findServerByKey(c.deps.kernel.db.kysely, c.root.key))
      throw new MeridianError(
        ServerAlreadyFederated,
        `${c.root.url} is already federated with this portal. ${ServerAlreadyFederated.fix}`,
      );
    return `${c.root.url} (admin ${c.adminUrl})`;
  }),
  step('reach_server', async (c) => {
    const reached = await reachTrusted(
      { client: c.deps.client, pki: c.deps.pki },
      c.root!.url,
      c.input.trustPresentedCertificate,
    );
    if (reached.trustAlias) c.trustAlias = reached.trustAlias;
    checkServerInfo(c.root!.url, reached.info);
    return reached.trustAlias ? `trusted, added ${reached.trustAlias}` : 'trusted';
  }),
  step('sign_in_admin', async (c) => {
    const json = await c.deps.client.generateToken(c.adminUrl!, c.input.username, c.input.password);
    if (typeof json.token !== 'string' || !json.token)
      throw new MeridianError(
        ServerBadCredentials,
        `${c.root!.name} refused the administrator sign-in of '${c.input.username.slice(0, 64)}': ${answerError(json) ?? 'no token in its answer'}. ${ServerBadCredentials.fix}`,
      );
    c.token = json.token;
    return c.input.username;
  }),
  step('check_federation_state', async (c) => {
    const json = await c.deps.client.securityConfig(c.adminUrl!, c.token!);
    const error = answerError(json);
    if (error || typeof json.authenticationTier !== 'string')
      throw new MeridianError(
        ServerNotMeridian,
        `${c.adminUrl}/security/config did not answer a federation state${error ? ` (${error})` : ''}: the server cannot federate. ${ServerNotMeridian.fix}`,
      );
    const props = (json.portalProperties ?? {}) as Json;
    const portalId = await c.deps.orgId();
    if (json.authenticationTier === 'ARCGIS_PORTAL' && props.portalId && props.portalId !== portalId)
      throw new MeridianError(
        ServerAlreadyFederated,
        `${c.root!.name} is federated with another portal (${String(props.portalUrl ?? props.portalId).slice(0, 200)}). Unfederate it there first; a server belongs to one portal.`,
      );
    return String(json.authenticationTier);
  }),
  step('hand_over_identity', async (c) => {
    const form = {
      authenticationTier: 'ARCGIS_PORTAL',
      portalProperties: JSON.stringify(await portalIdentity(c.deps, c.id, c.secret)),
    };
    c.handedOver = true;
    const json = expectSuccess(
      await c.deps.client.updateSecurityConfig(c.adminUrl!, c.token!, form),
      'the portal identity',
    );
    if (typeof json.serverId !== 'string' || !json.serverId)
      throw new MeridianError(
        ServerNotMeridian,
        `${c.root!.name} accepted the portal identity but did not answer its serverId.`,
      );
    c.remoteId = json.serverId;
    return `server ${json.serverId}`;
  }),
  step('list_services', async (c) => {
    c.services = await listServices(c);
    return `${c.services.length} service(s)`;
  }),
  step('store_server', async (c) => {
    const k = c.deps.kernel;
    const now = k.clock.now();
    const hosting = (await listServerRows(k.db.kysely)).some((r) => r.server_role === HOSTING);
    const row: ServerRow = {
      id: c.id,
      name: c.root!.name,
      url: c.root!.url,
      url_key: c.root!.key,
      admin_url: c.adminUrl!,
      remote_id: c.remoteId!,
      server_role: hosting ? 'FEDERATED_SERVER' : HOSTING,
      server_function: '',
      secret_sealed: k.box.seal(c.secret.toString('base64url'), secretContext(c.id)),
      federated_by: c.by,
      trust_alias: c.trustAlias ?? null,
      cert_fingerprint: await leafFingerprint(c),
      created: now,
      modified: now,
    };
    await k.db.kysely.transaction().execute(async (trx) => {
      await insertServerRow(trx, row);
      for (const s of c.services) {
        if (s.portalItemId) continue;
        const [existing] = await c.deps.items.itemIdsByUrl(trx, s.url);
        const itemId =
          existing ??
          (await c.deps.items.createUrlItem(trx, {
            owner: c.by,
            title: s.name,
            type: 'Feature Service',
            url: s.url,
            typeKeywords: ['Data', 'Service', 'Feature Service', serverKeyword(c.id)],
          }));
        c.created.push({ service: s, itemId });
      }
      await c.deps.redirects.add(row.url, trx);
    });
    c.row = row;
    await c.deps.keys.changed(row.id);
    return `${row.id}, ${c.created.length} item(s)`;
  }),
  step('link_items', async (c) => {
    const failed: string[] = [];
    for (const { service, itemId } of c.created) {
      const json = await c.deps.client
        .setPortalItem(c.adminUrl!, c.token!, service, itemId)
        .catch((err: Error) => ({
          status: 'error',
          messages: [err.message],
        }));
      const error = answerError(json);
      if (error) failed.push(`${service.name}: ${error}`);
    }
    return failed.length
      ? { flagged: true, detail: `not linked: ${failed.join('; ')}` }
      : `${c.created.length} linked`;
  }),
]);

/** What a server must answer at rest/info: an ArcGIS REST root with token-based security. */
function checkServerInfo(url: string, info: Json): void {
  const authInfo = info.authInfo as Json | undefined;
  if (typeof info.currentVersion !== 'number' || !authInfo || authInfo.isTokenBasedSecurity !== true)
    throw new MeridianError(
      ServerNotMeridian,
      `${url}/rest/info is not the rest/info of an ArcGIS REST server with token-based security. ${ServerNotMeridian.fix}`,
    );
}

async function leafFingerprint(c: Ctx): Promise<string | null> {
  const report = await c.deps.pki.outbound.diagnose(`${c.root!.url}/rest/info`);
  return report.presentedChain[0]?.sha256Fingerprint ?? null;
}

async function listServices(c: Ctx): Promise<Ctx['services']> {
  const top = expectSuccess(await c.deps.client.services(c.adminUrl!, c.token!), 'the list of its services');
  const folders = Array.isArray(top.folders)
    ? (top.folders as unknown[]).filter((f) => typeof f === 'string')
    : [];
  const lists: Json[] = [top];
  for (const f of folders as string[])
    lists.push(
      expectSuccess(await c.deps.client.services(c.adminUrl!, c.token!, f), `the services of folder ${f}`),
    );
  const out: Ctx['services'] = [];
  for (const list of lists)
    for (const s of (Array.isArray(list.services) ? list.services : []) as Json[]) {
      if (typeof s.serviceName !== 'string') continue;
      const ref: ServiceRef = {
        folder: typeof s.folderName === 'string' && s.folderName !== '/' ? s.folderName : '',
        name: s.serviceName,
        type: typeof s.type === 'string' ? s.type : 'FeatureServer',
      };
      out.push({
        ...ref,
        url: normaliseServiceUrl(typeof s.url === 'string' ? s.url : serviceUrl(c.root!.url, ref)),
        ...(typeof s.portalItemId === 'string' && s.portalItemId ? { portalItemId: s.portalItemId } : {}),
      });
    }
  return out;
}

/** A service URL as items keep it: host lower-cased, no trailing slash. */
export function normaliseServiceUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** Undoes what a failed federation did: the server goes standalone again, the trust entry goes. */
async function rollBack(c: Ctx): Promise<void> {
  const log = c.deps.kernel.log;
  if (c.handedOver && c.token)
    await c.deps.client
      .updateSecurityConfig(c.adminUrl!, c.token, standaloneForm())
      .catch((err) =>
        log.warn({ err, server: c.root?.url }, 'undoing a failed federation on the server failed'),
      );
  if (c.trustAlias)
    await c.deps.pki.trust
      .remove(c.trustAlias)
      .catch((err) =>
        log.warn({ err, alias: c.trustAlias }, 'removing the trust entry of a failed federation failed'),
      );
  c.deps.pki.outbound.invalidate();
}

/**
 * portaladmin/federation/servers/federate: runs the steps; on a failure nothing is stored on
 * the portal and the server is told to forget it. The password is used once, never stored.
 */
export async function federateServer(
  deps: ServersContext,
  input: FederateInput,
  by: string,
): Promise<ServerRow> {
  const c: Ctx = {
    deps,
    input,
    by,
    id: randomBytes(8).toString('hex'),
    secret: randomBytes(32),
    handedOver: false,
    services: [],
    created: [],
  };
  const run = await deps.kernel.pipelines.run(FEDERATE, c, (x) => x.root?.url ?? input.url.slice(0, 200));
  if (run.outcome === 'failed') {
    await rollBack(c);
    throw run.error;
  }
  return c.row!;
}
