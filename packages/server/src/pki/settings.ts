import type { SettingDef } from '../kernel/config/setting-def.ts';

/** Certificates the portal CA issues (lifetime, renewal) and the expiry warning. */
export const pkiSettings: readonly SettingDef[] = [
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
];

declare module '../kernel/config/config.ts' {
  interface Config {
    tls: { serverCertDays: number; renewBeforeDays: number; expiryWarningDays: number };
  }
}
