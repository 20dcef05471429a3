/** The portal role's `meridian` commands: start, its modules' commands, and the kernel's it is given. */
import { loadFromProcess } from '../kernel/config/load.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { CommandSpec } from '../kernel/module.ts';
import { openPortalNode, portalModules, portalSettings } from './portal.ts';
import { portalStart } from './portal-start.ts';
import { kernelCommands, moduleCommands, type OpenCommandNode, type RoleCli } from './role-commands.ts';

/** A portal node for a command: the configuration from its settings flags and the environment. */
const openForCommand: OpenCommandNode = async (settings) => {
  const node = await openPortalNode(loadFromProcess(settings, portalSettings), { logger: false });
  return { kernel: node.kernel, modules: node.modules, close: () => node.close() };
};

/** `kernel`: the kernel's commands (jobs), which the CLI keeps beside its progress bars. */
export function portalCli(kernel: readonly CommandSpec<Kernel>[] = []): RoleCli {
  return {
    name: 'portal',
    program: 'meridian',
    seeAlso: [
      [
        'server [COMMAND]',
        'The GIS server role: meridian server starts one (port 6443, data in ./gis); meridian server help lists its commands.',
      ],
    ],
    settings: portalSettings,
    commands: [
      portalStart,
      ...moduleCommands(portalModules, openForCommand),
      ...kernelCommands(kernel, openForCommand),
    ],
  };
}
