import { loadFromProcess } from '@meridian/server/config/load.ts';
import { localCaCertPem } from '@meridian/server/pki/local-ca-store.ts';
import { openPortalCore } from '@meridian/server/start-portal.ts';
import { UsageError } from '../usage-error.ts';

export async function trustCommand(words: string[], flags: Record<string, string | boolean>): Promise<void> {
  const [sub] = words;
  if (sub === 'export-ca') {
    const core = await openPortalCore(loadFromProcess(flags));
    try {
      process.stdout.write(await localCaCertPem(core));
    } finally {
      await core.db.close();
    }
    return;
  }
  throw new UsageError(`meridian trust: unknown subcommand '${sub ?? ''}'. Try: meridian trust export-ca`);
}
