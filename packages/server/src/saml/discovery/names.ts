import type { DiscoveryIdp } from './port.ts';

/**
 * The display name in the reader's language (its tag, then its primary language), else
 * English, else the one without a language, else any; the entity ID when there is none.
 */
export function nameIn(idp: Pick<DiscoveryIdp, 'entityId' | 'displayNames'>, lang = ''): string {
  const n = idp.displayNames;
  const want = lang.toLowerCase();
  const primary = want.split('-')[0] ?? '';
  const keys = Object.keys(n);
  const pick =
    keys.find((k) => k.toLowerCase() === want && want) ??
    keys.find((k) => k.toLowerCase().split('-')[0] === primary && primary) ??
    keys.find((k) => k.toLowerCase() === 'en') ??
    keys.find((k) => k === '') ??
    keys[0];
  return (pick !== undefined ? n[pick]?.trim() : '') || idp.entityId;
}

/** The domains an IdP is known by: its domain hints, then its literal scopes. */
export function domainsOf(idp: Pick<DiscoveryIdp, 'scopes' | 'domainHints'>): string[] {
  return [...new Set([...idp.domainHints, ...idp.scopes.filter((s) => !s.regexp).map((s) => s.value)])].slice(
    0,
    5,
  );
}

/**
 * The logo the chooser shows: of those of a usable scheme (https, or an embedded data: image),
 * the smallest that is at least 32 pixels high (else the largest); a declared language
 * matching the reader's first.
 */
export function logoOf(
  idp: Pick<DiscoveryIdp, 'logos'>,
  lang = '',
): DiscoveryIdp['logos'][number] | undefined {
  const usable = idp.logos.filter((l) => /^(https:|data:image\/(png|jpeg|gif|webp);base64,)/i.test(l.url));
  const primary = lang.toLowerCase().split('-')[0];
  const score = (l: DiscoveryIdp['logos'][number]) => {
    const h = l.height ?? 64;
    const size = h >= 32 ? h : 10_000 - h;
    const langPenalty = !l.lang || l.lang.toLowerCase().split('-')[0] === primary ? 0 : 100_000;
    return size + langPenalty;
  };
  return usable.sort((a, b) => score(a) - score(b))[0];
}
