import type { FastifyInstance } from 'fastify';
import { gisTokenPolicy } from '../gis-server/admin/token-config.ts';
import { gisServerModule } from '../gis-server/module.ts';
import { identityModule } from '../identity/module.ts';
import { ConfigInsecure } from '../kernel/config/errors.ts';
import { type Config, insecureSettings, type LoadOptions, loadConfig } from '../kernel/config/load.ts';
import { migrateToLatest } from '../kernel/db/migrate.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { type KernelOptions, type OpenedKernel, openKernel } from '../kernel/kernel.ts';
import type { ModuleParts } from '../kernel/module.ts';
import { pkiModule } from '../pki/module.ts';
import { tlsModule } from '../tls/module.ts';
import { tokensModule } from '../tokens/module.ts';
import { type AnyModule, roleMigrations, roleSettings } from './compose.ts';
import { serve } from './serve.ts';

/**
 * The GIS server role (`meridian server`): its own data directory, CA and certificate, its own
 * users and tokens, and its REST root. It will host feature services and federate with a
 * portal (a later issue); no portal module, table or route is part of it.
 */
export const gisServerModules: readonly AnyModule[] = [
  pkiModule,
  tlsModule,
  identityModule,
  tokensModule,
  gisServerModule,
];

export const gisServerSettings = roleSettings(gisServerModules, {
  home: './gis',
  'https.port': 6443,
  'http.port': 6080,
});

export function loadGisServerConfig(opts: LoadOptions = {}): Config {
  return loadConfig({ ...opts, settings: gisServerSettings });
}

async function composeGisServer(kernel: OpenedKernel) {
  let tls: Awaited<ReturnType<typeof tlsModule.create>> | undefined;
  const pki = await pkiModule.create(kernel, {
    usage: { assignments: (db) => tls!.api.assignments(db) },
    caRole: 'GIS Server',
  });
  tls = await tlsModule.create(kernel, { pki: pki.api, requireHttpsEverywhere: async () => true });
  let gis: Awaited<ReturnType<typeof gisServerModule.create>> | undefined;
  const identity = await identityModule.create(kernel, {
    portal: { orgId: async () => gis!.api.serverId },
    // A GIS server keeps no items or groups: its users own nothing.
    userContent: {
      ownedBy: async () => ({ items: 0, groups: 0 }),
      releaseUser: async () => {},
      userReleased: async () => {},
      groupsOfUser: async () => [],
    },
  });
  const tokens = await tokensModule.create(kernel, {
    identity: identity.api,
    // security/tokens/update's timeouts, read live (every node); server.tokenMinutes/maxTokenMinutes until set.
    tokenPolicy: gisTokenPolicy(kernel),
  });
  gis = await gisServerModule.create(kernel, { tokens: tokens.api, pki: pki.api, tls: tls.api });
  const parts: Record<string, ModuleParts<unknown>> = { pki, tls, identity, tokens, gis };
  return {
    parts,
    api: {
      pki: pki.api,
      tls: tls.api,
      identity: identity.api,
      tokens: tokens.api,
      'gis-server': gis.api,
    },
    // The server serves its own REST root; the portal's Sharing API routes of the identity and
    // tokens modules are not part of it.
    routes: [gis.routes!.bind(gis)] as ((app: FastifyInstance) => void | Promise<void>)[],
  };
}

export type GisServerApis = Awaited<ReturnType<typeof composeGisServer>>['api'];

/** A GIS server node without listeners, for the `meridian server …` commands. */
export interface GisServerNode {
  kernel: OpenedKernel;
  modules: GisServerApis;
  close(): Promise<void>;
}

/** Opens a GIS server node on its data directory: kernel, migrations, modules; nothing listens. */
export async function openGisServerNode(config: Config, opts: KernelOptions = {}): Promise<GisServerNode> {
  const kernel = openKernel(config, opts);
  try {
    await migrateToLatest(kernel.db, roleMigrations(gisServerModules));
    const { api, parts } = await composeGisServer(kernel);
    return {
      kernel,
      modules: api,
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

export interface RunningGisServer {
  kernel: OpenedKernel;
  modules: GisServerApis;
  app: FastifyInstance;
  /** https://<hostname>:PORT */
  url: string;
  httpsPort: number;
  httpPort: number | undefined;
  caCertPem: string;
  close(): Promise<void>;
}

/** Starts a GIS server node: HTTPS on its own CA, its REST root and token service. */
export async function startGisServer(config: Config, opts: KernelOptions = {}): Promise<RunningGisServer> {
  const insecure = insecureSettings(config, gisServerSettings);
  if (insecure.length && config.mode === 'production')
    throw new MeridianError(
      ConfigInsecure,
      `Refusing to start in production mode with insecure settings: ${insecure.join(', ')}.`,
    );
  const kernel = openKernel(config, opts);
  for (const w of insecure)
    kernel.log.warn(`INSECURE SETTING ENABLED: ${w}. Never use this on a production server.`);
  let parts: Record<string, ModuleParts<unknown>> = {};
  let stopServing: (() => Promise<void>) | undefined;
  const close = async () => {
    await stopServing?.();
    for (const p of Object.values(parts).reverse()) await p.stop?.();
    await kernel.close();
  };
  try {
    await migrateToLatest(kernel.db, roleMigrations(gisServerModules));
    await kernel.bus.start();
    const composed = await composeGisServer(kernel);
    parts = composed.parts;
    const { api } = composed;
    const serving = await serve(kernel, api.tls, {
      // The portal's server tokens once federated, then the server's own.
      authenticate: api['gis-server'].federation.authenticator(
        api.tokens.authenticate,
        api.identity.privilegesOf,
      ),
      presentsCredential: api.tokens.presentsCredential,
      routes: composed.routes,
      ui: false,
    });
    stopServing = serving.close;
    for (const p of Object.values(parts)) await p.start?.();
    kernel.start();
    return {
      kernel,
      modules: api,
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
