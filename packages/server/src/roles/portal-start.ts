/** `meridian start`: the portal role's own command. */
import { shellWords } from '../cli/shell-words.ts';
import type { Config } from '../kernel/config/load.ts';
import { loadFromProcess } from '../kernel/config/load.ts';
import { portalSettings, type RunningPortal, startPortal } from './portal.ts';
import type { Invocation, RoleCommand } from './role-commands.ts';
import { stopSignal } from './stop-signal.ts';

/** The flags another command needs to open the same data (the database URL is a secret: not repeated). */
function sameData(inv: Invocation): string {
  const words = inv.settings.filter(([flag]) => flag === '--home' || flag === '--config').flat();
  return words.length ? ` ${shellWords(words)}` : '';
}

function banner(portal: RunningPortal, config: Config, inv: Invocation): string {
  const lines = [
    '',
    `Meridian portal is running at ${portal.url}/home/`,
    `  Sharing API:   ${portal.url}/sharing/rest`,
  ];
  if (config.publicUrl)
    lines.push(`  This node listens for HTTPS on port ${portal.httpsPort} (the URL above is publicUrl).`);
  if (portal.httpPort !== undefined)
    lines.push(
      `  Plain HTTP on port ${portal.httpPort} ${config.http.mode === 'redirect' ? 'redirects to HTTPS' : 'is refused'}.`,
    );
  lines.push(`  Data directory: ${config.home}`);
  const admin = portal.modules.identity.initialAdmin;
  if (admin.passwordFile)
    lines.push(
      '',
      'The initial administrator is "admin"; its password was written once to',
      `  ${admin.passwordFile}`,
      '(readable only by you). Sign in, then change it.',
    );
  else if (admin.created)
    lines.push('', 'The initial administrator "admin" was created with MERIDIAN_ADMIN_PASSWORD.');
  lines.push(
    '',
    "The certificate is issued by this portal's own certificate authority. To trust it:",
    `  ${inv.self} trust export-ca${sameData(inv)} > meridian-ca.pem${config.database.url ? '   (add the database URL you started with: --database-url URL)' : ''}`,
    `  curl --cacert meridian-ca.pem ${portal.url}/sharing/rest/info?f=json`,
    '  Browsers: import meridian-ca.pem as a trusted authority (Settings › Privacy and security › Certificates),',
    '  or on Debian/Ubuntu: sudo cp meridian-ca.pem /usr/local/share/ca-certificates/meridian-ca.crt && sudo update-ca-certificates',
    '  Node.js tools: NODE_EXTRA_CA_CERTS=meridian-ca.pem',
    '',
    '',
  );
  return lines.join('\n');
}

export const portalStart: RoleCommand = {
  from: 'portal',
  spec: {
    name: 'start',
    summary: 'Starts the portal on HTTPS (its own CA and certificate on first start).',
    description:
      'Runs until it receives SIGINT (Ctrl-C) or SIGTERM. Every setting has a flag, an environment variable and a config file key (meridian help settings, docs/config.md), for example --home DIR, --https-port N, --http-port N, --hostname NAME, or --database-url URL to use PostgreSQL.',
  },
  async run(inv) {
    const config = loadFromProcess(Object.fromEntries(inv.settings), portalSettings);
    const portal = await startPortal(config);
    inv.stdout.write(banner(portal, config, inv));
    const signal = await stopSignal();
    portal.kernel.log.info(`${signal} received, stopping`);
    await portal.close();
    return 0;
  },
};
