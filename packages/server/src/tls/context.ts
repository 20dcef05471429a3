import type { Kernel } from '../kernel/kernel.ts';
import type { PkiApi } from '../pki/module.ts';
import type { PortalApi } from '../portal/module.ts';

/** What the tls module's services and routes work with: the kernel and the APIs it uses. */
export interface TlsContext extends Kernel {
  readonly pki: PkiApi;
  readonly portal: PortalApi;
}
