import type { FastifyInstance } from 'fastify';
import { collaborationModule } from '../collaboration/module.ts';
import { contentModule } from '../content/module.ts';
import { federationsModule } from '../federations/module.ts';
import { identityModule } from '../identity/module.ts';
import { ConfigInsecure } from '../kernel/config/errors.ts';
import { type Config, insecureSettings, type LoadOptions, loadConfig } from '../kernel/config/load.ts';
import { migrateToLatest } from '../kernel/db/migrate.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { type KernelOptions, type OpenedKernel, openKernel } from '../kernel/kernel.ts';
import type { ModuleParts } from '../kernel/module.ts';
import { oauthModule } from '../oauth/module.ts';
import { pkiModule } from '../pki/module.ts';
import { portalModule } from '../portal/module.ts';
import { samlModule } from '../saml/module.ts';
import { serversModule } from '../servers/module.ts';
import { tlsModule } from '../tls/module.ts';
import { tokensModule } from '../tokens/module.ts';
import { type AnyModule, roleMigrations, roleRoutes, roleSettings } from './compose.ts';
import { serve } from './serve.ts';

/** The portal role: its modules, in the order they are created. */
export const portalModules: readonly AnyModule[] = [
  portalModule,
  pkiModule,
  tlsModule,
  identityModule,
  tokensModule,
  contentModule,
  oauthModule,
  samlModule,
  federationsModule,
  serversModule,
  collaborationModule,
];

export const portalSettings = roleSettings(portalModules);

/** The portal's configuration from flags, environment, config file and overrides. */
export function loadPortalConfig(opts: LoadOptions = {}): Config {
  return loadConfig({ ...opts, settings: portalSettings });
}

type Parts<M> = M extends { create(...args: never[]): infer R } ? Awaited<R> : never;

/**
 * Creates the portal's modules, each with the APIs it depends on. Three dependencies point
 * "backwards" and are late-bound here, so that no module depends on the other: pki asks tls
 * which certificates are in use, identity asks content about a user's content, tokens ask
 * oauth which grants are revoked, the portal asks identity whether an administrator could
 * sign in through SAML before built-in sign-in is turned off.
 */
async function composePortal(kernel: OpenedKernel) {
  let identity: Parts<typeof identityModule> | undefined;
  const portal = await portalModule.create(kernel, {
    builtInSignInOffBlocker: async () =>
      (await identity!.api.samlAdministrators()) > 0
        ? undefined
        : 'no enabled administrator has a SAML account; make one an administrator (org_admin) first',
  });
  let tls: Parts<typeof tlsModule> | undefined;
  const pki = await pkiModule.create(kernel, {
    usage: { assignments: (db) => tls!.api.assignments(db) },
    caRole: 'Portal',
  });
  tls = await tlsModule.create(kernel, {
    pki: pki.api,
    requireHttpsEverywhere: async () => (await portal.api.settings.get()).allSSL,
  });
  let content: Parts<typeof contentModule> | undefined;
  identity = await identityModule.create(kernel, {
    portal: portal.api,
    signInPolicy: async () => {
      const s = await portal.api.settings.get();
      return { canSignInArcGIS: s.canSignInArcGIS, allowBuiltInAccounts: s.allowBuiltInAccounts };
    },
    userContent: {
      ownedBy: (db, username) => content!.api.userContent.ownedBy(db, username),
      releaseUser: (db, username) => content!.api.userContent.releaseUser(db, username),
      userReleased: (username) => content!.api.userContent.userReleased(username),
      groupsOfUser: (username) => content!.api.userContent.groupsOfUser(username),
    },
  });
  let oauth: Parts<typeof oauthModule> | undefined;
  let saml: Parts<typeof samlModule> | undefined;
  let servers: Parts<typeof serversModule> | undefined;
  const tokens = await tokensModule.create(kernel, {
    identity: identity.api,
    tokenPolicy: () => portal.api.settings.get(),
    grants: { isRevoked: (grantId) => oauth?.api.grants.isRevoked(grantId) ?? false },
    serverTokens: (caller, serverUrl, expires) => servers!.api.issueServerToken(caller, serverUrl, expires),
  });
  content = await contentModule.create(kernel, { identity: identity.api, portal: portal.api });
  oauth = await oauthModule.create(kernel, {
    identity: identity.api,
    tokens: tokens.api,
    portal: portal.api,
    content: content.api,
    samlLogin: async () => {
      const login = await saml?.api.logins.current();
      return login ? { name: login.name } : undefined;
    },
  });
  const federations = await federationsModule.create(kernel, { outbound: pki.api.outbound });
  saml = await samlModule.create(kernel, {
    oauth: oauth.api,
    portal: portal.api,
    certificates: {
      generate: (input) => pki.api.certificates.generate(input),
      load: (alias) => pki.api.loadCertificate(alias),
      remove: (alias) => pki.api.certificates.delete(alias),
    },
    outbound: pki.api.outbound,
    federations: federations.api,
    accounts: identity.api,
    content: content.api,
  });
  servers = await serversModule.create(kernel, {
    pki: pki.api,
    content: content.api,
    identity: identity.api,
    portal: portal.api,
    oauth: oauth.api,
  });
  const collaboration = await collaborationModule.create(kernel, {
    pki: pki.api,
    content: content.api,
    portal: portal.api,
    servers: servers.api,
    servedChainPem: () => tls!.api.web.certificate?.certChainPem ?? '',
  });
  const parts: Record<string, ModuleParts<unknown>> = {
    portal,
    pki,
    tls,
    identity,
    tokens,
    content,
    oauth,
    saml,
    federations,
    servers,
    collaboration,
  };
  return {
    parts,
    api: {
      portal: portal.api,
      pki: pki.api,
      tls: tls.api,
      identity: identity.api,
      tokens: tokens.api,
      content: content.api,
      oauth: oauth.api,
      saml: saml.api,
      federations: federations.api,
      servers: servers.api,
      collaboration: collaboration.api,
    },
  };
}

export type PortalApis = Awaited<ReturnType<typeof composePortal>>['api'];

/** A portal node without listeners: for the CLI and the docs generator. */
export interface PortalNode {
  kernel: OpenedKernel;
  modules: PortalApis;
  /** The modules' route registrations, for an HTTP application (see http/app.ts). */
  routes: ReadonlyArray<(app: FastifyInstance) => void | Promise<void>>;
  close(): Promise<void>;
}

/** Opens a portal node on a data directory: kernel, migrations, modules; nothing listens. */
export async function openPortalNode(config: Config, opts: KernelOptions = {}): Promise<PortalNode> {
  const kernel = openKernel(config, opts);
  try {
    await migrateToLatest(kernel.db, roleMigrations(portalModules));
    const { api, parts } = await composePortal(kernel);
    return {
      kernel,
      modules: api,
      routes: roleRoutes(kernel, parts),
      async close() {
        for (const p of Object.values(parts)) await p.stop?.();
        await kernel.close();
      },
    };
  } catch (err) {
    await kernel.close().catch(() => {});
    throw err;
  }
}

export interface RunningPortal extends PortalNode {
  app: FastifyInstance;
  /** https://<hostname>:PORT */
  url: string;
  httpsPort: number;
  httpPort: number | undefined;
  caCertPem: string;
}

/** Starts a portal node: HTTPS on its own CA, plain HTTP as configured, every module's routes and work. */
export async function startPortal(config: Config, opts: KernelOptions = {}): Promise<RunningPortal> {
  const insecure = insecureSettings(config, portalSettings);
  if (insecure.length && config.mode === 'production')
    throw new MeridianError(
      ConfigInsecure,
      `Refusing to start in production mode with insecure settings: ${insecure.join(', ')}.`,
    );
  const kernel = openKernel(config, opts);
  for (const w of insecure)
    kernel.log.warn(`INSECURE SETTING ENABLED: ${w}. Never use this on a production portal.`);
  let parts: Record<string, ModuleParts<unknown>> = {};
  let stopServing: (() => Promise<void>) | undefined;
  const close = async () => {
    await stopServing?.();
    for (const p of Object.values(parts).reverse()) await p.stop?.();
    await kernel.close();
  };
  try {
    await migrateToLatest(kernel.db, roleMigrations(portalModules));
    await kernel.bus.start();
    const composed = await composePortal(kernel);
    parts = composed.parts;
    const { api } = composed;
    const serving = await serve(kernel, api.tls, {
      authenticate: api.tokens.authenticate,
      presentsCredential: api.tokens.presentsCredential,
      routes: roleRoutes(kernel, parts),
      ui: true,
      uiSources: {
        connectOrigins: () => api.servers.origins(),
        imageOrigins: () => api.portal.basemapOrigins(),
      },
    });
    stopServing = serving.close;
    for (const p of Object.values(parts)) await p.start?.();
    kernel.start();
    return {
      kernel,
      modules: api,
      routes: roleRoutes(kernel, parts),
      app: serving.app,
      url: kernel.baseUrl(),
      httpsPort: serving.httpsPort,
      httpPort: serving.httpPort,
      caCertPem: await api.pki.localCaPem(),
      close,
    };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
