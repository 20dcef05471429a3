import type { FastifyRequest } from 'fastify';
import type { ContentApi } from '../content/module.ts';
import { defineModule } from '../kernel/module.ts';
import type { PkiApi } from '../pki/module.ts';
import type { CollaborationContext } from './context.ts';
import { collaborationKey } from './keys.ts';
import * as migration from './migration.ts';
import { callAsPartner, signCall, verifyPartnerCall } from './partner-auth.ts';
import type { Json } from './partner-http.ts';
import { registerCollaborationRoutes } from './routes/collaboration-routes.ts';
import { registerGuestRoutes } from './routes/guest-routes.ts';
import { registerInvitationRoutes } from './routes/invitation-routes.ts';
import { registerParticipantRoutes } from './routes/participant-routes.ts';
import { registerPartnerRoutes } from './routes/partner-routes.ts';

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
}

/**
 * Distributed collaboration between portals: collaborations and workspaces this portal hosts,
 * signed invitations that carry the host's trust, the guest's signed response, participants,
 * and partners' signed calls.
 */
export const collaborationModule = defineModule<
  CollaborationApi,
  {
    pki: Pick<PkiApi, 'outbound' | 'trust'>;
    content: Pick<ContentApi, 'groups'>;
    portal: { orgId(): Promise<string>; settings: { get(): Promise<{ name: string }> } };
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
  ],
  migrations: { '0032_collaboration': migration },
  settings: [],
  create(kernel, deps) {
    const ctx: CollaborationContext = {
      kernel,
      pki: deps.pki,
      groups: deps.content.groups,
      orgId: () => deps.portal.orgId(),
      portalName: async () => (await deps.portal.settings.get()).name,
      servedChain: () =>
        deps.servedChainPem().match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [],
      key: collaborationKey(kernel),
    };
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
      },
      routes: (app) => {
        registerCollaborationRoutes(app, ctx);
        registerInvitationRoutes(app, ctx);
        registerGuestRoutes(app, ctx);
        registerPartnerRoutes(app, ctx);
        registerParticipantRoutes(app, ctx);
      },
    };
  },
});
