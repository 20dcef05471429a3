import type { SettingDef } from '../kernel/config/setting-def.ts';

/** Listeners: ports, what plain HTTP does, the address to bind. */
export const tlsSettings: readonly SettingDef[] = [
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
];

declare module '../kernel/config/config.ts' {
  interface Config {
    https: { port: number };
    http: { port: number; mode: 'redirect' | 'refuse' | 'serve' | 'off' };
    bind: string;
  }
}
