/** What discovery reads of the federations index (the federations module's API offers it). */

export interface DiscoveryIdp {
  entityId: string;
  displayNames: Record<string, string>;
  descriptions: Record<string, string>;
  logos: { url: string; width: number | null; height: number | null; lang: string | null }[];
  scopes: { value: string; regexp: boolean }[];
  domainHints: string[];
}

export interface DiscoveryIndexPort {
  identityProvider(federationId: string, entityId: string): Promise<DiscoveryIdp | undefined>;
  search(
    federationId: string,
    q: string,
    opts?: { start?: number; num?: number },
  ): Promise<{ total: number; identityProviders: DiscoveryIdp[] }>;
  allIdentityProviders(federationId: string): AsyncGenerator<DiscoveryIdp[]>;
  get(federationId: string): Promise<{ lastSuccess: number | null; identityProviders: number }>;
}
