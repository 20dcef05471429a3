import type { Kernel } from '../kernel/kernel.ts';
import type { TokensApi } from '../tokens/module.ts';

/** What the gis-server module works with. */
export interface GisServerContext {
  readonly kernel: Kernel;
  readonly tokens: Pick<TokensApi, 'generateToken'>;
}
