import type { IdentityApi } from '../identity/module.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { TokenPolicy } from './expiration-policy.ts';
import type { ServerTokenIssuer } from './server-token.ts';
import type { TokenService } from './token-service.ts';

/** What the tokens module's services and routes work with. */
export interface TokensContext extends Kernel {
  readonly identity: IdentityApi;
  /** How long tokens may live (the organisation's settings on a portal). */
  readonly tokenPolicy: TokenPolicy;
  readonly tokens: TokenService;
  /** Server tokens for federated GIS servers (the portal's servers module); absent on a GIS server. */
  readonly serverTokens?: ServerTokenIssuer;
}
