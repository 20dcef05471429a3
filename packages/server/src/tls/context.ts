import type { Kernel } from '../kernel/kernel.ts';
import type { PkiApi } from '../pki/module.ts';

/** What the tls module's services and routes work with: the kernel and the APIs it uses. */
export interface TlsContext extends Kernel {
  readonly pki: PkiApi;
  /** Whether the organisation requires HTTPS for every resource (portal: allSSL). */
  readonly requireHttpsEverywhere: () => Promise<boolean>;
}
