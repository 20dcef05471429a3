import type { Kernel } from '../kernel/kernel.ts';
import type { PortalApi } from '../portal/module.ts';
import type { UserContentPort } from './ports.ts';
import type { SignInPolicySource } from './sign-in-policy.ts';
import type { UserStateCache } from './user-state-cache.ts';

/** What the identity module's services and routes work with. */
export interface IdentityContext extends Kernel {
  /** The organisation's id, for user answers (the portal module's, or the server's own). */
  readonly portal: Pick<PortalApi, 'orgId'>;
  readonly userContent: UserContentPort;
  /** Users' rows by id, kept current by the 'identity.user' bus event (user-state-cache.ts). */
  readonly users: UserStateCache;
  /** The organisation's sign-in policy (the portal's settings); absent on a GIS server. */
  readonly signInPolicy?: SignInPolicySource;
}
