import type { Kernel } from '../kernel/kernel.ts';
import type { TokensApi } from '../tokens/module.ts';
import type { GisFederationApi } from './federation/create-federation.ts';

/** What the gis-server module works with. */
export interface GisServerContext {
  readonly kernel: Kernel;
  readonly tokens: Pick<TokensApi, 'generateToken'>;
  /** rest/info's owningSystemUrl and token service once federated. */
  readonly federation?: Pick<GisFederationApi, 'restInfo'>;
}
