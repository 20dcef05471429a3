import type { PortalSettings } from '../portal/module.ts';

/**
 * How long a new token lives: the requested minutes, or the org default when none were asked
 * for; a request above the org maximum is clamped to it, never refused (ArcGIS behaviour).
 */
export type TokenLifetimes = Pick<
  PortalSettings,
  'defaultTokenExpirationMinutes' | 'maxTokenExpirationMinutes'
>;

/** Where the current lifetimes come from (the portal's organisation settings, or a server's own). */
export type TokenPolicy = () => Promise<TokenLifetimes>;

export function tokenLifetimeMinutes(requested: number | undefined, settings: TokenLifetimes): number {
  const max = settings.maxTokenExpirationMinutes;
  const wanted =
    requested === undefined || !(requested > 0) ? settings.defaultTokenExpirationMinutes : requested;
  return Math.max(1, Math.min(Math.floor(wanted), max));
}
