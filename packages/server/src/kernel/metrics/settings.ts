import type { SettingDef } from '../config/setting-def.ts';
import { checkListenAddress } from './listen-address.ts';

/** Prometheus metrics: off unless an address is given. */
export const metricsSettings: readonly SettingDef[] = [
  {
    key: 'metrics.listen',
    env: 'MERIDIAN_METRICS_LISTEN',
    type: 'string',
    default: '',
    check: checkListenAddress,
    description:
      'Serve Prometheus metrics (requests by route, database pool, change bus, jobs, certificate days left, process) at GET /metrics on a separate plain-HTTP listener at this address: PORT (binds 127.0.0.1) or HOST:PORT, for example 127.0.0.1:9464. No token protects it and it is not encrypted: keep it on loopback or a monitoring network. Empty: off, and requests are not measured.',
  },
];

declare module '../config/config.ts' {
  interface Config {
    metrics: { listen: string };
  }
}
