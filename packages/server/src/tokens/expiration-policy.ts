import type { PortalSettings } from '../portal/module.ts';

/**
 * How long a new token lives: the requested minutes, or the org default when none were asked
 * for; a request above the org maximum is clamped to it, never refused (ArcGIS behaviour).
 */
export function tokenLifetimeMinutes(
  requested: number | undefined,
  settings: Pick<PortalSettings, 'defaultTokenExpirationMinutes' | 'maxTokenExpirationMinutes'>,
): number {
  const max = settings.maxTokenExpirationMinutes;
  const wanted =
    requested === undefined || !(requested > 0) ? settings.defaultTokenExpirationMinutes : requested;
  return Math.max(1, Math.min(Math.floor(wanted), max));
}
