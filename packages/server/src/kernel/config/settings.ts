/**
 * Every setting Meridian reads, with its default and description. The configuration
 * reference in docs/config.md is generated from this list (scripts/gen-docs.ts).
 * A setting is read, in order of precedence, from a command-line flag, the environment,
 * the config file (`<home>/meridian.json` or --config), then its default.
 */
export type SettingType = 'string' | 'integer' | 'boolean' | 'enum';

export interface SettingDef {
  key: string;
  env: string;
  type: SettingType;
  default: string | number | boolean | undefined;
  description: string;
  values?: readonly string[];
  min?: number;
  max?: number;
  /** Never logged, never echoed back. */
  secret?: boolean;
  /** A value that is unsafe in production; production mode refuses to start with it. */
  insecureWhen?: (value: unknown) => boolean;
}

export const settings: readonly SettingDef[] = [
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
    key: 'https.port',
    env: 'MERIDIAN_HTTPS_PORT',
    type: 'integer',
    min: 0,
    max: 65535,
    default: 7443,
    description: 'HTTPS port. URLs the portal generates include it unless it is 443. 0 picks a free port.',
  },
  {
    key: 'http.port',
    env: 'MERIDIAN_HTTP_PORT',
    type: 'integer',
    min: 0,
    max: 65535,
    default: 7080,
    description: 'Plain HTTP port; what it does is set by http.mode. 0 picks a free port.',
  },
  {
    key: 'http.mode',
    env: 'MERIDIAN_HTTP_MODE',
    type: 'enum',
    values: ['redirect', 'refuse', 'serve', 'off'],
    default: 'redirect',
    description:
      'redirect: plain HTTP answers with a redirect to HTTPS; refuse: it answers 403 "SSL Required"; serve: plain HTTP serves the portal except where HTTPS is required (allSSL, the HTTPS-required paths, and always sign-in, tokens and administration); off: no plain HTTP listener.',
    insecureWhen: (v) => v === 'serve',
  },
  {
    key: 'bind',
    env: 'MERIDIAN_BIND',
    type: 'string',
    default: '::',
    description: 'Address the listeners bind to (:: means every IPv4 and IPv6 address).',
  },
  {
    key: 'hostname',
    env: 'MERIDIAN_HOSTNAME',
    type: 'string',
    default: 'localhost',
    description: 'Host name in the URLs the portal generates (portalHostname).',
  },
  {
    key: 'admin.password',
    env: 'MERIDIAN_ADMIN_PASSWORD',
    type: 'string',
    default: undefined,
    secret: true,
    description:
      'Password of the initial administrator "admin", used only when the database has no users. When unset, a password is generated and written once to <home>/initial-admin-password (mode 0600).',
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
    key: 'uploads.maxBytes',
    env: 'MERIDIAN_UPLOAD_MAX_BYTES',
    type: 'integer',
    min: 1024,
    default: 100 * 1024 * 1024,
    description: 'Largest file accepted by addItem/update (multipart upload), in bytes.',
  },
  {
    key: 'uploads.preAuthMaxBytes',
    env: 'MERIDIAN_UPLOAD_PRE_AUTH_MAX_BYTES',
    type: 'integer',
    min: 0,
    default: 16 * 1024 * 1024,
    description:
      'Files that arrive before the request’s token (arcgis-rest-js sends the token after the file) are held in memory, never written to disk, until the token verifies; this is the most one request may hold. A larger file must come after the token (or with an Authorization header).',
  },
  {
    key: 'uploads.preAuthTotalBytes',
    env: 'MERIDIAN_UPLOAD_PRE_AUTH_TOTAL_BYTES',
    type: 'integer',
    min: 0,
    default: 128 * 1024 * 1024,
    description:
      'The most memory all requests of a process together may hold for files whose caller is not known yet; beyond it such uploads are refused with request.busy.',
  },
  {
    key: 'uploads.orphanGraceHours',
    env: 'MERIDIAN_UPLOAD_ORPHAN_GRACE_HOURS',
    type: 'integer',
    min: 1,
    default: 24,
    description:
      'At start, stored files that no item references are reported, and removed once they are older than this many hours.',
  },
  {
    key: 'body.maxBytes',
    env: 'MERIDIAN_BODY_MAX_BYTES',
    type: 'integer',
    min: 1024,
    default: 2 * 1024 * 1024,
    description: 'Largest non-file request body (JSON or form), in bytes.',
  },
  {
    key: 'tls.serverCertDays',
    env: 'MERIDIAN_TLS_SERVER_CERT_DAYS',
    type: 'integer',
    min: 1,
    max: 397,
    default: 90,
    description:
      'Lifetime of web server certificates issued by the portal CA. With the defaults (90 days, renewed 45 days before expiry, warning at 30), the expiry warning appears only when automatic renewal has failed for two weeks.',
  },
  {
    key: 'tls.renewBeforeDays',
    env: 'MERIDIAN_TLS_RENEW_BEFORE_DAYS',
    type: 'integer',
    min: 1,
    default: 45,
    description:
      'Certificates issued by the portal CA are renewed this many days before they expire (at most half their lifetime). Keep it above tls.expiryWarningDays, so that the warning means renewal has failed.',
  },
  {
    key: 'tls.expiryWarningDays',
    env: 'MERIDIAN_TLS_EXPIRY_WARNING_DAYS',
    type: 'integer',
    min: 1,
    max: 365,
    default: 30,
    description:
      'Certificates (in the certificate store and the trust store) that expire within this many days raise a warning in the health check, the log and the UI.',
  },
  {
    key: 'identity.lockoutAttempts',
    env: 'MERIDIAN_LOCKOUT_ATTEMPTS',
    type: 'integer',
    min: 1,
    default: 5,
    description:
      'Failed sign-ins in a row after which a built-in account is locked for the client address they came from (other addresses can still sign in).',
  },
  {
    key: 'identity.addressAttempts',
    env: 'MERIDIAN_LOCKOUT_ADDRESS_ATTEMPTS',
    type: 'integer',
    min: 1,
    default: 20,
    description:
      'Failed sign-ins from one client address (IPv6: one /64), whatever the accounts, after which that address is refused for identity.lockoutMinutes.',
  },
  {
    key: 'identity.accountAttempts',
    env: 'MERIDIAN_LOCKOUT_ACCOUNT_ATTEMPTS',
    type: 'integer',
    min: 1,
    default: 100,
    description:
      'Failed sign-ins of one account from all addresses together within identity.lockoutMinutes after which the account is locked, except for addresses it has signed in from in the last 90 days.',
  },
  {
    key: 'identity.lockoutMinutes',
    env: 'MERIDIAN_LOCKOUT_MINUTES',
    type: 'integer',
    min: 1,
    default: 15,
    description: 'How long a lock lasts, and the window in which failed sign-ins are counted.',
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
];
