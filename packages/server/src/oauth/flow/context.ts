import type { IdentityApi } from '../../identity/module.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import type { TokenLifetimes, TokensApi } from '../../tokens/module.ts';
import type { AppRegistry, OAuthApp } from '../apps/registry.ts';
import type { Grants } from './grants.ts';

/** What the OAuth flow works with: the kernel, the registered apps and the identity and token services. */
export interface FlowContext extends Pick<Kernel, 'db' | 'clock' | 'box' | 'bus' | 'log' | 'baseUrl'> {
  readonly apps: AppRegistry;
  /** Whether `uri` is one of the app's registered redirect URIs (apps/redirect-uris.ts). */
  readonly redirectAllowed: (app: OAuthApp, uri: string) => boolean;
  readonly identity: Pick<IdentityApi, 'signIn' | 'userState'>;
  readonly tokens: Pick<TokensApi, 'issueSignedIn' | 'service'>;
  /** The organisation's token lifetimes (default and maximum minutes). */
  readonly tokenPolicy: () => Promise<TokenLifetimes>;
  readonly grants: Grants;
  /** Whether built-in accounts may sign in with a password (canSignInArcGIS); absent: yes. */
  readonly builtInSignIn?: () => Promise<boolean>;
}
