import type { SettingDef } from '../config/setting-def.ts';

/** How long the traces of pipeline runs are kept. */
export const traceSettings: readonly SettingDef[] = [
  {
    key: 'traces.keepDays',
    env: 'MERIDIAN_TRACES_KEEP_DAYS',
    type: 'integer',
    min: 1,
    max: 3650,
    default: 14,
    description:
      'Traces of pipeline runs (each TLS diagnosis; later each SAML sign-in and sync) are deleted this many days after the run. Administrators read them at portaladmin/traces.',
  },
];

declare module '../config/config.ts' {
  interface Config {
    traces: { keepDays: number };
  }
}

/** traces.keepDays, or its default where a role's configuration does not carry it. */
export function traceKeepDays(config: object): number {
  return (config as { traces?: { keepDays?: number } }).traces?.keepDays ?? Number(traceSettings[0]!.default);
}
