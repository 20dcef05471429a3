import type { SettingDef } from '../kernel/config/setting-def.ts';

/** The GIS server's own token lifetimes (a portal takes them from its organisation settings) and query page size. */
export const gisServerSettings: readonly SettingDef[] = [
  {
    key: 'server.tokenMinutes',
    env: 'MERIDIAN_SERVER_TOKEN_MINUTES',
    type: 'integer',
    min: 1,
    max: 20160,
    default: 60,
    description: "GIS server role: the lifetime of the server's own tokens when a client asks for none.",
  },
  {
    key: 'server.maxTokenMinutes',
    env: 'MERIDIAN_SERVER_MAX_TOKEN_MINUTES',
    type: 'integer',
    min: 1,
    max: 20160,
    default: 1440,
    description:
      "GIS server role: the longest lifetime of the server's own tokens (longer requests are clamped).",
  },
  {
    key: 'server.maxRecordCount',
    env: 'MERIDIAN_SERVER_MAX_RECORD_COUNT',
    type: 'integer',
    min: 1,
    max: 100000,
    default: 2000,
    description:
      'GIS server role: the most features one query page returns for services published from now on (larger pages are capped, with exceededTransferLimit).',
  },
];

declare module '../kernel/config/config.ts' {
  interface Config {
    server: { tokenMinutes: number; maxTokenMinutes: number; maxRecordCount: number };
  }
}
