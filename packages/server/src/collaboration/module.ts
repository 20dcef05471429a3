import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { ContentApi } from '../content/module.ts';
import { defineModule } from '../kernel/module.ts';
import type { PkiApi } from '../pki/module.ts';
import type { ServersApi } from '../servers/module.ts';
import type { CollaborationContext } from './context.ts';
import { ensureWatches } from './group-link.ts';
import { collaborationKey } from './keys.ts';
import * as migration from './migration.ts';
import * as apiMigration from './migration-api.ts';
import * as leasesMigration from './migration-leases.ts';
import * as syncMigration from './migration-sync.ts';
import { startPartialsSweep } from './partials-sweep.ts';
import { callAsPartner, signCall, verifyPartnerCall } from './partner-auth.ts';
import type { Json } from './partner-http.ts';
import { startRealtime } from './realtime.ts';
import { registerCollaborationRoutes } from './routes/collaboration-routes.ts';
import { registerFeedRoutes } from './routes/feed-routes.ts';
import { registerGuestRoutes } from './routes/guest-routes.ts';
import { registerInvitationRoutes } from './routes/invitation-routes.ts';
import { registerLinkRoutes } from './routes/link-routes.ts';
import { registerParticipantRoutes } from './routes/participant-routes.ts';
import { registerPartnerRoutes } from './routes/partner-routes.ts';
import { registerSyncRoutes } from './routes/sync-routes.ts';
import { runDueSchedules } from './schedule.ts';
import { collaborationSettings } from './settings.ts';
import { runSync, SYNC_JOB, type SyncJobInput } from './sync-run.ts';
import { startSync } from './sync-service.ts';
import { dropReceivedByLocal } from './sync-store.ts';

/** Distributed collaboration, as the rest of the portal uses it (sync builds on `partners`). */
export interface CollaborationApi {
  /** Calls between partner portals, authenticated by the keys exchanged with the invitation. */
  partners: {
    /** A signed POST to participant `portalId` of the collaboration at `path` (e.g. /sharing/rest/…); its JSON answer. */
    call(
      collaborationId: string,
      portalId: string,
      path: string,
      fields?: Record<string, string>,
    ): Promise<Json>;
    /** The X-Meridian-Partner header value for a call (at `at`, default now), for callers that send it themselves. */
    sign(
      collaborationId: string,
      method: string,
      url: string,
      form: Record<string, string>,
      at?: number,
    ): Promise<string>;
    /** The active participant that signed `req` for the collaboration; refuses (collaboration.partner_unauthenticated / partner_revoked) otherwise. */
    verify(
      req: FastifyRequest,
      collaborationId: string,
    ): Promise<{ portalId: string; url: string; access: Record<string, string> }>;
  };
  /** Sync of a workspace on a guest (as workspaces/<id>/sync), and the due scheduled syncs started now. */
  sync: {
    start(
      collaborationId: string,
      workspaceId: string,
    ): Promise<{ syncId: string; jobId: string; started: boolean }>;
    runDueSchedules(): Promise<string[]>;
  };
}

/**
 * Distributed collaboration between portals: collaborations and workspaces this portal hosts,
 * signed invitations that carry the host's trust, the guest's signed response, participants,
 * partners' signed calls, and sync: group links, access modes, delete policies, the host's
 * change feed and the guest's sync runs (jobs), schedules and real-time sync.
 */
export const collaborationModule = defineModule<
  CollaborationApi,
  {
    pki: Pick<PkiApi, 'outbound' | 'trust'>;
    content: Pick<ContentApi, 'groups' | 'items' | 'changes' | 'synced'>;
    portal: { orgId(): Promise<string>; settings: { get(): Promise<{ name: string }> } };
    /** Feature-service copies: exports of this portal's services, publishing received ones on its hosting server. */
    servers: Pick<ServersApi, 'copies'>;
    /** The certificate chain this node serves (PEM, leaf first). */
    servedChainPem(): string;
  }
>({
  name: 'collaboration',
  tables: [
    'collaborations',
    'collaboration_workspaces',
    'collaboration_invitations',
    'collaboration_participants',
    'collaboration_keys',
    'collaboration_nonces',
    'collaboration_cursors',
    'collaboration_received',
    'collaboration_sync_runs',
    'collaboration_schedules',
    'collaboration_leases',
  ],
  migrations: {
    '0032_collaboration': migration,
    '0034_collaboration_sync': syncMigration,
    '0035_collaboration_api': apiMigration,
    '0037_collaboration_leases': leasesMigration,
  },
  settings: collaborationSettings,
  create(kernel, deps) {
    const stopping = new AbortController();
    const ctx: CollaborationContext = {
      kernel,
      pki: deps.pki,
      groups: deps.content.groups,
      content: deps.content,
      servers: deps.servers.copies,
      partialsDir: join(
        kernel.config.content?.filesDir || join(kernel.config.home, 'files'),
        '.collaboration-partials',
      ),
      orgId: () => deps.portal.orgId(),
      portalName: async () => (await deps.portal.settings.get()).name,
      servedChain: () =>
        deps.servedChainPem().match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [],
      key: collaborationKey(kernel),
      stopping: stopping.signal,
    };
    // A received item deleted here (by anyone) is no longer linked to its origin.
    deps.content.items.onItemDelete((trx, itemId) => dropReceivedByLocal(trx, itemId));
    kernel.jobs.register<SyncJobInput, unknown>(SYNC_JOB, (job) => runSync(ctx, job), { resumable: true });
    const stops: (() => void | Promise<void>)[] = [];
    return {
      api: {
        partners: {
          call: (collaborationId, portalId, path, fields) =>
            callAsPartner(ctx, collaborationId, portalId, path, fields),
          sign: (collaborationId, method, url, form, at) =>
            signCall(ctx, collaborationId, method, url, form, at),
          verify: async (req, collaborationId) => {
            const p = await verifyPartnerCall(ctx, req, collaborationId);
            return {
              portalId: p.portal_id,
              url: p.url,
              access: JSON.parse(p.access) as Record<string, string>,
            };
          },
        },
        sync: {
          start: (collaborationId, workspaceId) => startSync(ctx, collaborationId, workspaceId, 'manual'),
          runDueSchedules: () => runDueSchedules(ctx),
        },
      },
      routes: (app) => {
        registerCollaborationRoutes(app, ctx);
        registerInvitationRoutes(app, ctx);
        registerGuestRoutes(app, ctx);
        registerPartnerRoutes(app, ctx);
        registerParticipantRoutes(app, ctx);
        registerLinkRoutes(app, ctx);
        registerSyncRoutes(app, ctx);
        registerFeedRoutes(app, ctx);
        // Closing waits for requests in flight: the feed's long-polls end first (as no change).
        app.addHook('preClose', (done) => {
          stopping.abort();
          done();
        });
      },
      async start() {
        await ensureWatches(ctx);
        const tick = () =>
          void runDueSchedules(ctx).catch((err) =>
            kernel.log.warn({ err }, 'collaboration sync schedule failed'),
          );
        const timer = setInterval(tick, 60_000);
        timer.unref();
        tick();
        stops.push(() => clearInterval(timer), startRealtime(ctx), startPartialsSweep(ctx));
      },
      async stop() {
        stopping.abort();
        for (const stop of stops.splice(0)) await stop();
      },
    };
  },
});
