import type { SettingDef } from '../kernel/config/setting-def.ts';

/** Limits of a federation metadata download and of what is accepted, and the refresh schedule's bounds. */
export const federationSettings: readonly SettingDef[] = [
  {
    key: 'federations.maxMegabytes',
    env: 'MERIDIAN_FEDERATIONS_MAX_MEGABYTES',
    type: 'integer',
    min: 1,
    max: 4096,
    default: 256,
    description: 'Federation metadata: the largest aggregate downloaded (MiB); the download stops beyond it.',
  },
  {
    key: 'federations.fetchTimeoutSeconds',
    env: 'MERIDIAN_FEDERATIONS_FETCH_TIMEOUT_SECONDS',
    type: 'integer',
    min: 5,
    max: 3600,
    default: 600,
    description: 'Federation metadata: the longest a whole download (and its ingest) may take.',
  },
  {
    key: 'federations.maxValidityDays',
    env: 'MERIDIAN_FEDERATIONS_MAX_VALIDITY_DAYS',
    type: 'integer',
    min: 1,
    max: 3650,
    default: 30,
    description:
      'Federation metadata whose validUntil is further away than this is refused (federation.validity_too_long): a signed document valid for years would outlive a key compromise.',
  },
  {
    key: 'federations.minRefreshMinutes',
    env: 'MERIDIAN_FEDERATIONS_MIN_REFRESH_MINUTES',
    type: 'integer',
    min: 1,
    max: 10080,
    default: 10,
    description:
      'Federation metadata is refreshed as its cacheDuration says, but never more often than this (and a failed refresh is retried after it).',
  },
  {
    key: 'federations.maxRefreshMinutes',
    env: 'MERIDIAN_FEDERATIONS_MAX_REFRESH_MINUTES',
    type: 'integer',
    min: 1,
    max: 10080,
    default: 1440,
    description: 'Federation metadata is refreshed at least this often, whatever its cacheDuration.',
  },
  {
    key: 'federations.defaultRefreshMinutes',
    env: 'MERIDIAN_FEDERATIONS_DEFAULT_REFRESH_MINUTES',
    type: 'integer',
    min: 1,
    max: 10080,
    default: 240,
    description:
      'Federation metadata without a cacheDuration is refreshed this often (within the bounds above).',
  },
  {
    key: 'federations.mdqCacheMinutes',
    env: 'MERIDIAN_FEDERATIONS_MDQ_CACHE_MINUTES',
    type: 'integer',
    min: 1,
    max: 10080,
    default: 240,
    description:
      'MDQ: an identity provider fetched from a federation’s metadata query service is used for its cacheDuration, at most this long (and never past its validUntil), then fetched again; without a cacheDuration, for this long.',
  },
  {
    key: 'federations.mdqNegativeCacheMinutes',
    env: 'MERIDIAN_FEDERATIONS_MDQ_NEGATIVE_CACHE_MINUTES',
    type: 'integer',
    min: 1,
    max: 1440,
    default: 5,
    description:
      'MDQ: an entity the federation’s metadata query service does not know (404, or not an identity provider) is not asked for again for this long.',
  },
  {
    key: 'federations.mdqTimeoutSeconds',
    env: 'MERIDIAN_FEDERATIONS_MDQ_TIMEOUT_SECONDS',
    type: 'integer',
    min: 1,
    max: 120,
    default: 10,
    description: 'MDQ: the longest a query for one entity may take (a sign-in waits for it).',
  },
  {
    key: 'federations.mdqMaxKilobytes',
    env: 'MERIDIAN_FEDERATIONS_MDQ_MAX_KILOBYTES',
    type: 'integer',
    min: 16,
    max: 16384,
    default: 1024,
    description: 'MDQ: the largest answer for one entity (KiB); the download stops beyond it.',
  },
  {
    key: 'federations.mdqIdentifier',
    env: 'MERIDIAN_FEDERATIONS_MDQ_IDENTIFIER',
    type: 'enum',
    values: ['entityId', 'sha1'],
    default: 'entityId',
    description:
      'MDQ: how an entity is named in the query: entityId (<mdqUrl>/entities/<percent-encoded entity ID>) or sha1 (<mdqUrl>/entities/%7Bsha1%7D<hex SHA-1 of the entity ID>), for services that only answer the latter.',
  },
];

export interface FederationsConfig {
  maxMegabytes: number;
  fetchTimeoutSeconds: number;
  maxValidityDays: number;
  minRefreshMinutes: number;
  maxRefreshMinutes: number;
  defaultRefreshMinutes: number;
  mdqCacheMinutes: number;
  mdqNegativeCacheMinutes: number;
  mdqTimeoutSeconds: number;
  mdqMaxKilobytes: number;
  mdqIdentifier: 'entityId' | 'sha1';
}

declare module '../kernel/config/config.ts' {
  interface Config {
    federations: FederationsConfig;
  }
}
