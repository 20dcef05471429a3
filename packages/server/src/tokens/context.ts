import type { IdentityApi } from '../identity/module.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { PortalApi } from '../portal/module.ts';
import type { TokenService } from './token-service.ts';

/** What the tokens module's services and routes work with. */
export interface TokensContext extends Kernel {
  readonly identity: IdentityApi;
  readonly portal: PortalApi;
  readonly tokens: TokenService;
}
