import type { ContentApi } from '../content/module.ts';
import type { IdentityApi } from '../identity/module.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { PortalApi } from '../portal/module.ts';
import type { TokensApi } from '../tokens/module.ts';
import type { AppStore } from './apps/store.ts';

/** What the oauth module's parts (registered apps, the authorization flow) work with. */
export interface OAuthContext extends Kernel {
  readonly identity: IdentityApi;
  readonly tokens: TokensApi;
  readonly portal: PortalApi;
  readonly content: ContentApi;
  /** The registered apps (implements AppRegistry for the flow). */
  readonly apps: AppStore;
}
