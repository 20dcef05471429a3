/** The GIS server role's `meridian server …` commands: start, its modules' commands and the kernel's (jobs). */
import { type Config, loadFromProcess } from '../kernel/config/load.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { CommandSpec } from '../kernel/module.ts';
import {
  gisServerModules,
  gisServerSettings,
  openGisServerNode,
  type RunningGisServer,
  startGisServer,
} from './gis-server.ts';
import {
  kernelCommands,
  moduleCommands,
  type OpenCommandNode,
  type RoleCli,
  type RoleCommand,
} from './role-commands.ts';
import { stopSignal } from './stop-signal.ts';

const openForCommand: OpenCommandNode = async (settings) => {
  const node = await openGisServerNode(loadFromProcess(settings, gisServerSettings), { logger: false });
  return { kernel: node.kernel, modules: node.modules, close: () => node.close() };
};

function banner(server: RunningGisServer, config: Config, self: string): string {
  const admin = server.modules.identity.initialAdmin;
  return [
    '',
    `Meridian GIS server is running at ${server.url}/arcgis/rest/services`,
    `  Administrator API: ${server.url}/arcgis/admin`,
    `  Data directory: ${config.home}`,
    ...(admin.passwordFile
      ? ['', 'Its administrator is "admin"; the password was written once to', `  ${admin.passwordFile}`]
      : []),
    '',
    "Its certificate is issued by the server's own certificate authority:",
    `  ${self} trust export-ca --home ${config.home} > gis-server-ca.pem`,
    '',
    '',
  ].join('\n');
}

const start: RoleCommand = {
  from: 'gis-server',
  spec: {
    name: 'start',
    summary: 'Starts the GIS server on HTTPS (port 6443; its own data directory, CA and certificate).',
    description:
      'Runs until it receives SIGINT (Ctrl-C) or SIGTERM. `meridian server` with no command starts it too. Its settings are the portal’s with other defaults (--home ./gis, --https-port 6443, --http-port 6080); see docs/config.md.',
  },
  async run(inv) {
    const config = loadFromProcess(Object.fromEntries(inv.settings), gisServerSettings);
    const server = await startGisServer(config);
    inv.stdout.write(banner(server, config, inv.self));
    const signal = await stopSignal();
    server.kernel.log.info(`${signal} received, stopping`);
    await server.close();
    return 0;
  },
};

/** `kernel`: the kernel's commands the CLI adds (meridian server jobs …, as the portal's). */
export function gisServerCli(kernel: readonly CommandSpec<Kernel>[] = []): RoleCli {
  return {
    name: 'gis-server',
    program: 'meridian server',
    settings: gisServerSettings,
    commands: [
      start,
      ...moduleCommands(gisServerModules, openForCommand),
      ...kernelCommands(kernel, openForCommand),
    ],
  };
}
