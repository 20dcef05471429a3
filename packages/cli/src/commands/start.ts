import { startPortal } from '@meridian/server/roles/portal.ts';
import { type CliContext, loadSettings, settingsFlags } from '../cli-context.ts';
import { shellWords } from '../shell-words.ts';

export const START_USAGE = `Usage:
  meridian start [--home DIR] [--config FILE] [--https-port N] [--http-port N] [--hostname NAME] …
Starts the portal on HTTPS, with its own certificate authority on first start. Every setting
has a flag, an environment variable and a config file key (docs/config.md); for example
--database-url URL to use PostgreSQL. Relative paths are taken from the current directory.`;

/** The flags another command needs to open the same data directory (the database URL is a secret: not repeated). */
function sameData(flags: Record<string, string | boolean>, ctx: CliContext): string {
  const words: string[] = [];
  for (const [name, value] of Object.entries(settingsFlags(flags, ctx)))
    if (['--home', '--config'].includes(name) && typeof value === 'string') words.push(name, value);
  return words.length ? ` ${shellWords(words)}` : '';
}

export async function startCommand(flags: Record<string, string | boolean>, ctx: CliContext): Promise<void> {
  const config = loadSettings(flags, ctx);
  const portal = await startPortal(config);
  const out = process.stdout;
  out.write(`\nMeridian portal is running at ${portal.url}/home/\n`);
  out.write(`  Sharing API:   ${portal.url}/sharing/rest\n`);
  if (portal.httpPort !== undefined)
    out.write(
      `  Plain HTTP on port ${portal.httpPort} ${config.http.mode === 'redirect' ? 'redirects to HTTPS' : 'is refused'}.\n`,
    );
  out.write(`  Data directory: ${config.home}\n`);
  if (portal.modules.identity.initialAdmin.passwordFile)
    out.write(
      `\nThe initial administrator is "admin"; its password was written once to\n  ${portal.modules.identity.initialAdmin.passwordFile}\n(readable only by you). Sign in, then change it.\n`,
    );
  else if (portal.modules.identity.initialAdmin.created)
    out.write('\nThe initial administrator "admin" was created with MERIDIAN_ADMIN_PASSWORD.\n');
  out.write(
    `\nThe certificate is issued by this portal's own certificate authority. To trust it:\n` +
      `  ${ctx.self} trust export-ca${sameData(flags, ctx)} > meridian-ca.pem${config.database.url ? '   (add the database URL you started with: --database-url URL)' : ''}\n` +
      `  curl --cacert meridian-ca.pem ${portal.url}/sharing/rest/info?f=json\n` +
      `  Browsers: import meridian-ca.pem as a trusted authority (Settings › Privacy and security › Certificates),\n` +
      `  or on Debian/Ubuntu: sudo cp meridian-ca.pem /usr/local/share/ca-certificates/meridian-ca.crt && sudo update-ca-certificates\n` +
      `  Node.js tools: NODE_EXTRA_CA_CERTS=meridian-ca.pem\n\n`,
  );
  const stop = async (signal: string) => {
    portal.app.log.info(`${signal} received, stopping`);
    await portal.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
