import type { Kernel } from '../kernel/kernel.ts';
import type { PortalOutbound } from './store/portal-outbound.ts';
import type { CertificateUsage } from './usage.ts';

/** What the pki module's services and routes work with: the kernel, its outbound client, its port. */
export interface PkiContext extends Kernel {
  readonly outbound: PortalOutbound;
  readonly usage: CertificateUsage;
  /** Whose CA this node makes, in its name ('Portal', 'GIS Server'); from the role. */
  readonly caRole?: string | undefined;
}
