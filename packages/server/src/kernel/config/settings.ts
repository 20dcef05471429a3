import { metricsSettings } from '../metrics/settings.ts';
import { traceSettings } from '../pipeline/settings.ts';
import type { SettingDef } from './setting-def.ts';

/** What publicUrl must be: an https origin (a path would need a proxy that strips it). */
export function checkPublicUrl(value: string): string | undefined {
  const expected = 'an https:// URL with a host name and optionally a port, and nothing after it';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return expected;
  }
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password || url.search || url.hash)
    return expected;
  if (url.pathname !== '/')
    return `${expected} (a context path such as ${url.pathname} is not supported: nodes serve at the root)`;
  return undefined;
}

/** The kernel's settings: data directory, mode, public host name, database, logging, outbound calls. */
export const kernelSettings: readonly SettingDef[] = [
  {
    key: 'home',
    env: 'MERIDIAN_HOME',
    type: 'string',
    default: './data',
    description: 'Data directory: database file, encryption key, certificates, uploaded files.',
  },
  {
    key: 'mode',
    env: 'MERIDIAN_MODE',
    type: 'enum',
    values: ['development', 'production'],
    default: 'development',
    description: 'In production mode, insecure settings are refused at start instead of logged.',
  },
  {
    key: 'hostname',
    env: 'MERIDIAN_HOSTNAME',
    type: 'string',
    default: 'localhost',
    description: 'Host name in the URLs the portal generates (portalHostname).',
  },
  {
    key: 'publicUrl',
    env: 'MERIDIAN_PUBLIC_URL',
    type: 'string',
    default: '',
    check: checkPublicUrl,
    description:
      "The site's URL as clients reach it, for example https://gis.example.org (behind a load balancer: its address, the same on every node). Every URL the portal generates starts with it, and plain HTTP redirects to it. Empty: https://<hostname>:<https.port> of each node.",
  },
  {
    key: 'database.url',
    env: 'MERIDIAN_DATABASE_URL',
    type: 'string',
    default: '',
    secret: true,
    description:
      'postgres://… to use PostgreSQL (several nodes may share it); empty for the embedded SQLite database in <home>/meridian.db.',
  },
  {
    key: 'log.level',
    env: 'MERIDIAN_LOG_LEVEL',
    type: 'enum',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    description: 'Log level.',
  },
  {
    key: 'log.accessLog',
    env: 'MERIDIAN_LOG_ACCESS',
    type: 'boolean',
    default: false,
    description:
      'Log one line per request (method, path with secrets redacted, status, time) at info level; otherwise these lines are logged at debug level.',
  },
  {
    key: 'outbound.allowLoopback',
    env: 'MERIDIAN_OUTBOUND_ALLOW_LOOPBACK',
    type: 'boolean',
    default: false,
    description:
      'Let the portal fetch URLs (metadata, partner portals, servers) that resolve to loopback addresses. For tests and single-machine setups.',
    insecureWhen: (v) => v === true,
  },
  {
    key: 'outbound.allowPrivate',
    env: 'MERIDIAN_OUTBOUND_ALLOW_PRIVATE',
    type: 'boolean',
    default: true,
    description: 'Let the portal fetch URLs that resolve to private (RFC 1918, ULA) addresses.',
  },
  {
    key: 'outbound.trustPublicRoots',
    env: 'MERIDIAN_OUTBOUND_TRUST_PUBLIC_ROOTS',
    type: 'boolean',
    default: true,
    description:
      'When the portal calls other sites, trust the public root CAs Node.js ships (Mozilla’s list) besides the trust store and the portal’s own CA. Turn off to trust only the trust store.',
  },
  ...traceSettings,
  ...metricsSettings,
];

/** The kernel's part of the configuration object (modules add theirs to this interface). */
declare module './config.ts' {
  interface Config {
    home: string;
    mode: 'development' | 'production';
    hostname: string;
    /** '' or an https origin (see checkPublicUrl). */
    publicUrl: string;
    database: { url: string };
    log: { level: string; accessLog: boolean };
    outbound: { allowLoopback: boolean; allowPrivate: boolean; trustPublicRoots: boolean };
  }
}
