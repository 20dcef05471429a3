import type { ContentApi } from '../content/module.ts';
import { defineModule } from '../kernel/module.ts';
import type { PkiApi } from '../pki/module.ts';
import type { CollaborationContext } from './context.ts';
import { collaborationKey } from './keys.ts';
import * as migration from './migration.ts';
import { registerCollaborationRoutes } from './routes/collaboration-routes.ts';
import { registerGuestRoutes } from './routes/guest-routes.ts';
import { registerInvitationRoutes } from './routes/invitation-routes.ts';
import { registerPartnerRoutes } from './routes/partner-routes.ts';

/** Distributed collaboration, as the rest of the portal uses it. */
export type CollaborationApi = Record<string, never>;

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
      api: {},
      routes: (app) => {
        registerCollaborationRoutes(app, ctx);
        registerInvitationRoutes(app, ctx);
        registerGuestRoutes(app, ctx);
        registerPartnerRoutes(app, ctx);
      },
    };
  },
});
