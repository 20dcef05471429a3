import type { Kysely } from 'kysely';
import type { ContentApi } from '../content/module.ts';
import type { IdentityApi } from '../identity/module.ts';
import type { Database } from '../kernel/db/schema.ts';
import { defineModule } from '../kernel/module.ts';
import type { OAuthApi } from '../oauth/module.ts';
import type { PkiApi } from '../pki/module.ts';
import { type ServersContext, serverKeyword, tokenDeps } from './context.ts';
import { exportServiceFeatures } from './hosted-copies/export-features.ts';
import * as copiesMigration from './hosted-copies/migration.ts';
import {
  type CopyToPublish,
  hasHostingServer,
  type PublishedCopy,
  publishCopy,
  requireHostingServer,
  retireCopy,
  retireUnsettledCopy,
  settleCopy,
  unsettledCopies,
} from './hosted-copies/publish-copy.ts';
import * as migration from './migration.ts';
import { registerPublishJob } from './publish/publish-job.ts';
import { registerPublishRoutes } from './publish/routes.ts';
import { publishClient } from './publish/server-publish-client.ts';
import { registerServerRoutes } from './routes.ts';
import { ServerKeys } from './secrets.ts';
import { serverClient } from './server-client.ts';
import { serverOrigins } from './server-origins.ts';
import { adminServerToken, issueServerToken, type TokenSubject } from './server-tokens.ts';
import { pendingDeletions, sendDueDeletions, serviceDeletionHook } from './service-deletions.ts';
import './topics.ts';

export { mintServerCredential } from './server-credential.ts';

/** The portal side of GIS-server federation, as the rest of the portal uses it. */
export interface ServersApi {
  /** generateToken with serverUrl: a server token for the federated server the URL names (servers.not_federated otherwise). */
  issueServerToken(
    who: TokenSubject,
    serverUrl: string,
    expires: number,
  ): Promise<{ token: string; expires: number }>;
  /**
   * An administrator token of a federated server, minted for the portal's own call, acting for
   * `username`: a new one for each call (short-lived), so no long operation meets an expired one.
   */
  adminServerToken(serverId: string, username: string): Promise<string | undefined>;
  /** Sends the service deletions that are due now (also done by the module's own timer). */
  sendDueDeletions(): Promise<number>;
  /** The federated servers' origins (https://host:port): the web UI's pages call them. */
  origins(): Promise<string[]>;
  /** Service deletions still waiting for their server (with the last error). */
  pendingDeletions(): ReturnType<typeof pendingDeletions>;
  /** Copies of hosted feature services between portals (collaboration). */
  copies: {
    /**
     * Writes the features of a service of a federated server to `dest` as GeoJSON (paged
     * queries, streamed to the file); false when the URL is no such service. A service of
     * several layers is refused (servers.export_failed).
     */
    exportFeatures(serviceUrl: string, dest: string, signal?: AbortSignal): Promise<boolean>;
    hasHostingServer(): Promise<boolean>;
    /** servers.no_hosting_server (with its fix) when there is none. */
    requireHostingServer(): Promise<void>;
    /** Publishes a GeoJSON file on the hosting server as service `name`, or finds it made already. */
    publish(copy: CopyToPublish): Promise<PublishedCopy>;
    /** After the item `itemId` with the service's URL committed: it is the service's only item. */
    settle(url: string, itemId: string): Promise<void>;
    /** In the caller's transaction: the service at `url` (a replaced copy) is to be deleted. */
    retire(trx: Kysely<Database>, url: string, itemId: string): Promise<void>;
    /** Whether a type keyword is the mark of a federated server's service item (of any portal). */
    isServerKeyword(keyword: string): boolean;
    /** Services published for copies before `before` (epoch ms) whose item never settled on them (settle clears them). */
    unsettled(before: number): Promise<string[]>;
    /** Retires such a service: its items here go and its deletion is queued (service-deletions.ts). */
    retireUnsettled(url: string): Promise<void>;
  };
}

const SEND_EVERY_MS = 15_000;

/**
 * Federated GIS servers: federate (trust with a diagnosis, the server's administrator sign-in,
 * the portal identity and a shared secret handed over, service items), validate, update,
 * unfederate; server tokens; the servers' calls back (access, registerService,
 * unregisterService); a service item deleted on the portal deletes its service on the server.
 */
export const serversModule = defineModule<
  ServersApi,
  {
    pki: Pick<PkiApi, 'outbound' | 'trust' | 'localCaPem'>;
    content: Pick<ContentApi, 'items'>;
    identity: Pick<IdentityApi, 'findUser'>;
    portal: {
      orgId(): Promise<string>;
      /** The organisation's settings: its maximum token lifetime bounds the publishing tokens. */
      settings: { get(): Promise<{ maxTokenExpirationMinutes: number }> };
    };
    oauth: Pick<OAuthApi, 'portalClientRedirects'>;
  }
>({
  name: 'servers',
  tables: ['federated_servers', 'federated_service_deletions', 'hosted_copy_services'],
  migrations: { '0029_federated_servers': migration, '0038_hosted_copy_services': copiesMigration },
  settings: [],
  create(kernel, deps) {
    const keys = new ServerKeys(kernel);
    const ctx: ServersContext = {
      kernel,
      pki: deps.pki,
      items: deps.content.items,
      findUser: async (username) => {
        const u = await deps.identity.findUser(username);
        return u ? { id: u.id, username: u.username, role: u.role } : undefined;
      },
      orgId: () => deps.portal.orgId(),
      redirects: deps.oauth.portalClientRedirects,
      keys,
      client: serverClient(deps.pki.outbound),
    };
    deps.content.items.onItemDelete(serviceDeletionHook(ctx));
    const publishDeps = {
      ctx,
      client: publishClient(deps.pki.outbound),
      maxTokenMinutes: async () => (await deps.portal.settings.get()).maxTokenExpirationMinutes,
    };
    registerPublishJob(publishDeps);
    let timer: NodeJS.Timeout | undefined;
    const send = () => sendDueDeletions(ctx);
    return {
      api: {
        issueServerToken: (who, serverUrl, expires) =>
          issueServerToken(tokenDeps(ctx), who, serverUrl, expires),
        adminServerToken: (serverId, username) => adminServerToken(tokenDeps(ctx), serverId, username),
        sendDueDeletions: send,
        origins: () => serverOrigins(keys),
        pendingDeletions: () => pendingDeletions(kernel.db.kysely),
        copies: {
          exportFeatures: (url, dest, signal) => exportServiceFeatures(ctx, url, dest, signal),
          hasHostingServer: () => hasHostingServer(ctx),
          requireHostingServer: () => requireHostingServer(ctx),
          publish: (copy) => publishCopy(publishDeps, copy),
          settle: (url, itemId) => settleCopy(ctx, url, itemId),
          retire: (trx, url, itemId) => retireCopy(ctx, trx, url, itemId),
          isServerKeyword: (k) => k.startsWith(serverKeyword('')),
          unsettled: (before) => unsettledCopies(ctx, before),
          retireUnsettled: (url) => retireUnsettledCopy(ctx, url),
        },
      },
      routes: (app) => {
        registerServerRoutes(app, ctx);
        registerPublishRoutes(app, ctx);
      },
      start() {
        timer = setInterval(
          () => void send().catch((err) => kernel.log.warn({ err }, 'sending service deletions failed')),
          SEND_EVERY_MS,
        );
        timer.unref();
      },
      stop() {
        clearInterval(timer);
        keys.close();
      },
    };
  },
});
