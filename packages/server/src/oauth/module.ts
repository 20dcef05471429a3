import type { ContentApi } from '../content/module.ts';
import type { IdentityApi } from '../identity/module.ts';
import { defineModule } from '../kernel/module.ts';
import type { PortalApi } from '../portal/module.ts';
import type { TokensApi } from '../tokens/module.ts';
import * as appsMigration from './apps/migration.ts';
import { type PortalClientRedirects, portalClientRedirects } from './apps/portal-client-redirects.ts';
import { redirectUriMatches } from './apps/redirect-uris.ts';
import type { AppRegistry, OAuthApp } from './apps/registry.ts';
import { registerAppRoutes } from './apps/routes.ts';
import { AppStore } from './apps/store.ts';
import type { OAuthContext } from './context.ts';
import { type ExternalSignIn, externalSignIn } from './flow/external-sign-in.ts';
import { Grants } from './flow/grants.ts';
import * as flowMigration from './flow/migration.ts';
import { revokeAppTokens } from './flow/revoke-app-tokens.ts';
import { revokeClient } from './flow/revoke-client.ts';
import { registerFlowRoutes } from './flow/routes.ts';
import { SessionEvents, type WebSessions, webSessions } from './flow/session-events.ts';

export type { AppType, OAuthApp } from './apps/registry.ts';
export type {
  AuthorizeOutcome,
  AuthorizeRequest,
  ExternalSignIn,
  SignedInUser,
} from './flow/external-sign-in.ts';
export { PageError } from './flow/external-sign-in.ts';
export type { OpenedWebSession, SignOutListener, WebSessions } from './flow/session-events.ts';
export type { AppRegistry, PortalClientRedirects };

/** OAuth 2.0 as ArcGIS portals have it: registered apps, and the authorization flow. */
export interface OAuthApi {
  /** The registered apps, as the authorization flow reads them. */
  readonly apps: AppRegistry;
  /** Revoked grants: token verification refuses tokens issued under them. */
  readonly grants: Pick<Grants, 'isRevoked'>;
  /** For sign-ins that prove the user another way (SAML): begin, finish, and the portal's pages. */
  readonly externalSignIn: ExternalSignIn;
  /** Web sessions as other modules see them: opened, signed out, opened for a proven user, ended. */
  readonly webSessions: WebSessions;
  /** The built-in arcgisonline client's redirect URIs (a federated server's URL is added to them). */
  readonly portalClientRedirects: PortalClientRedirects;
}

/** Reads an app's item as the portal itself (no caller): only for its title. */
const INTERNAL = { username: null, isAdmin: true };

export const oauthModule = defineModule<
  OAuthApi,
  {
    identity: IdentityApi;
    tokens: TokensApi;
    portal: PortalApi;
    content: ContentApi;
    /** The organisation's SAML login for the sign-in page (late-bound: the saml module comes later). */
    samlLogin?: () => Promise<{ name: string } | undefined>;
  }
>({
  name: 'oauth',
  tables: ['oauth_apps', 'oauth_authorizations', 'oauth_grants', 'oauth_codes', 'oauth_refresh_tokens'],
  migrations: { '0018_oauth_apps': appsMigration, '0019_oauth_flow': flowMigration },
  settings: [],
  async create(kernel, deps) {
    const apps = new AppStore(
      kernel.db.kysely,
      () => kernel.baseUrl(),
      () => kernel.clock.now(),
      async (db, itemId) => (await deps.content.items.get(db, itemId, INTERNAL))?.title,
    );
    const ctx: OAuthContext = { ...kernel, ...deps, apps };
    await apps.ensureBuiltIn();
    deps.content.items.onItemDelete((trx, itemId) => apps.removeForItem(trx, itemId));
    const grants = new Grants(kernel);
    await grants.start();
    // An app that goes away takes its codes, refresh tokens and access tokens with it.
    apps.onAppRemoved((trx, clientId) => revokeClient(trx, grants, clientId, kernel.clock.now()));
    apps.onSecretRotated((clientId) =>
      revokeAppTokens(kernel.db.kysely, grants, clientId, kernel.clock.now()),
    );
    const flow = {
      ...kernel,
      apps,
      redirectAllowed: (app: OAuthApp, uri: string) => redirectUriMatches(app.redirectUris, uri),
      identity: deps.identity,
      tokens: deps.tokens,
      tokenPolicy: () => deps.portal.settings.get(),
      grants,
      portalName: async () => (await deps.portal.settings.get()).name,
      builtInSignIn: async () => (await deps.portal.settings.get()).canSignInArcGIS,
      samlLogin: deps.samlLogin,
      sessionEvents: new SessionEvents(),
    };
    return {
      api: {
        apps,
        grants,
        externalSignIn: externalSignIn(flow, flow.portalName),
        webSessions: webSessions(flow, flow.sessionEvents),
        portalClientRedirects: portalClientRedirects(apps),
      },
      routes: (app) => {
        registerAppRoutes(app, ctx);
        registerFlowRoutes(app, flow);
      },
    };
  },
});
