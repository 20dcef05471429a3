import type { ContentApi } from '../content/module.ts';
import { defineModule } from '../kernel/module.ts';
import type { OutboundClient, OutboundClientOptions } from '../kernel/outbound/guarded-client.ts';
import type { Step } from '../kernel/pipeline/pipeline.ts';
import { traceKeepDays } from '../kernel/pipeline/settings.ts';
import type { OAuthApi } from '../oauth/module.ts';
import type { PortalApi } from '../portal/module.ts';
import { createDiscovery } from './discovery/discovery.ts';
import type { DiscoveryIndexPort } from './discovery/port.ts';
import { registerDiscoveryRoutes } from './discovery/routes.ts';
import type { SamlLogin } from './logins/login.ts';
import * as loginsMigration from './logins/migration.ts';
import { type FederationsPort, LoginRegistry } from './logins/registry.ts';
import { spSignOut } from './logout/logout.ts';
import * as logoutMigration from './logout/migration.ts';
import { LogoutStore } from './logout/store.ts';
import { registerSamlRoutes } from './routes.ts';
import { samlSettings } from './settings.ts';
import { type FederationIndexPort, idpLookup, type SamlAccountsPort } from './signin/sign-in.ts';
import { type CertificateStorePort, SpKeys } from './sp/keys.ts';
import { defaultSpEntityId } from './sp/service-provider.ts';
import * as storeMigration from './store/migration.ts';
import { ReplayStore } from './store/replay-cache.ts';
import { RequestStore } from './store/request-store.ts';
import type { SamlValidation } from './validate/context.ts';
import type { IdpLookup, ServiceProvider } from './validate/types.ts';
import { type ValidationOutcome, validateSamlResponse } from './validate/validate.ts';

export type { DiscoveryIndexPort } from './discovery/port.ts';
export type { SamlLogin } from './logins/login.ts';
export type { NewRequest } from './store/request-store.ts';
export type {
  IdpLookup,
  SentRequest,
  ServiceProvider,
  SignedPart,
  TrustedIdp,
  VerifiedAssertion,
} from './validate/types.ts';
export type { ValidationOutcome } from './validate/validate.ts';
export type { CertificateStorePort, FederationIndexPort, FederationsPort, SamlAccountsPort };

/** What the saml module works with, besides the kernel. */
export interface SamlDeps {
  /** The OAuth flow the sign-in is a step of. */
  oauth: Pick<OAuthApi, 'externalSignIn' | 'webSessions'>;
  /** New accounts join the login's groups. */
  content: Pick<ContentApi, 'addUserToGroups'>;
  /** portals/self: canSignInIDP and the login's name follow the registry. */
  portal: Pick<PortalApi, 'settings' | 'orgId'>;
  /** The pki certificate store: the SP keys (sealed there). */
  certificates: CertificateStorePort;
  /** The guarded outbound client (IdP metadata URLs). */
  outbound: { client(overrides?: Partial<OutboundClientOptions>): OutboundClient };
  /** The federations module: a federation login's aggregate source and its index of IdPs. */
  federations?: (FederationsPort & FederationIndexPort & DiscoveryIndexPort) | undefined;
  /** The account step of a sign-in (identity's rules). */
  accounts: SamlAccountsPort;
}

/** SAML 2.0 service provider: the logins registry, the SP keys, the sign-in through OAuth, the response validation. */
export interface SamlApi {
  /** The organisation's SAML login (one IdP or a federation), if any. */
  readonly logins: Pick<LoginRegistry, 'current'>;
  /** The service provider's keys and their rollover. */
  readonly spKeys: Pick<SpKeys, 'list' | 'add' | 'retire'>;
  /** The SP entity ID in use. */
  spEntityId(): Promise<string>;
  /** The AuthnRequests sent: record each before redirecting to the IdP. */
  readonly requests: Pick<RequestStore, 'record'>;
  /** Validates a SAMLResponse (HTTP-POST, base64) for an IdP lookup and this portal as SP; traced. */
  validateResponse(samlResponse: string, idps: IdpLookup, sp: ServiceProvider): Promise<ValidationOutcome>;
}

const SWEEP_EVERY_MS = 15 * 60_000;

export const samlModule = defineModule<SamlApi, SamlDeps>({
  name: 'saml',
  tables: [
    'saml_requests',
    'saml_replay',
    'saml_logins',
    'saml_sp_keys',
    'saml_sessions',
    'saml_logout_requests',
  ],
  migrations: {
    '0020_saml_validation': storeMigration,
    '0021_saml_logins': loginsMigration,
    '0024_saml_logout': logoutMigration,
  },
  settings: samlSettings,
  create(kernel, deps) {
    const requests = new RequestStore(kernel.db.kysely);
    const replay = new ReplayStore(kernel.db.kysely);
    const registry = new LoginRegistry({
      db: kernel.db.kysely,
      clock: kernel.clock,
      outbound: () => deps.outbound.client(),
      federations: deps.federations,
      changed: async (login: SamlLogin | undefined) =>
        deps.portal.settings.update({ canSignInIDP: login !== undefined, idpName: login?.name ?? '' }),
    });
    const keys = new SpKeys(
      kernel.db.kysely,
      deps.certificates,
      () => kernel.clock.now(),
      () => new URL(kernel.baseUrl()).hostname,
    );
    const logout = new LogoutStore(kernel.db.kysely);
    const validate = (
      samlResponse: string,
      idps: IdpLookup,
      sp: ServiceProvider,
      more?: readonly Step<SamlValidation>[],
    ) =>
      validateSamlResponse(
        kernel.pipelines,
        samlResponse,
        {
          idps,
          sp,
          clock: kernel.clock,
          skewSeconds: kernel.config.saml.clockSkewSeconds,
          maxResponseBytes: kernel.config.saml.maxResponseBytes,
          requests,
          replay,
        },
        more,
      );
    const validateResponse: SamlApi['validateResponse'] = (samlResponse, idps, sp) =>
      validate(samlResponse, idps, sp);
    const sweep = async () => {
      const now = kernel.clock.now();
      try {
        await requests.sweep(now);
        await replay.sweep(now);
        await logout.sweep(now);
      } catch (err) {
        kernel.log.warn({ err }, 'deleting expired SAML requests and assertion IDs failed');
      }
    };
    const discovery = createDiscovery({
      index: deps.federations,
      current: () => registry.current(),
      outbound: () => deps.outbound.client(),
      now: () => kernel.clock.now(),
    });
    let timer: NodeJS.Timeout | undefined;
    const signInDeps = {
      registry,
      keys,
      baseUrl: () => kernel.baseUrl(),
      now: () => kernel.clock.now(),
      flow: deps.oauth.externalSignIn,
      record: (r: Parameters<RequestStore['record']>[0], now: number) => requests.record(r, now),
      validate,
      federations: deps.federations,
      accounts: deps.accounts,
      groups: deps.content,
      sessions: deps.oauth.webSessions,
      logout,
      log: kernel.log,
    };
    const logoutDeps = {
      registry,
      keys,
      store: logout,
      replay,
      sessions: deps.oauth.webSessions,
      flow: deps.oauth.externalSignIn,
      idps: (login: SamlLogin) => idpLookup(signInDeps, login, []),
      federations: deps.federations,
      baseUrl: () => kernel.baseUrl(),
      now: () => kernel.clock.now(),
      skewMs: () => kernel.config.saml.clockSkewSeconds * 1000,
      maxBytes: () => kernel.config.saml.maxResponseBytes,
      log: kernel.log,
    };
    // A SAML sign-in's web session, once the web UI opens it from the sign-in's grant.
    deps.oauth.webSessions.onOpened((s) => logout.attachSession(s.grantId, s.sessionId, s.expires));
    deps.oauth.webSessions.onSignOut(spSignOut(logoutDeps));
    return {
      api: {
        requests,
        validateResponse,
        logins: registry,
        spKeys: keys,
        async spEntityId() {
          return (await registry.current())?.spEntityId || defaultSpEntityId(kernel.baseUrl());
        },
      },
      routes: (app) => {
        registerDiscoveryRoutes(app, discovery);
        registerSamlRoutes(app, {
          ...signInDeps,
          orgId: () => deps.portal.orgId(),
          discovery,
          logoutDeps,
          pipelines: kernel.pipelines,
          keepDays: () => traceKeepDays(kernel.config),
        });
      },
      start() {
        timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
        timer.unref();
      },
      stop() {
        clearInterval(timer);
        timer = undefined;
      },
    };
  },
});
