import type { Kernel } from '../../kernel/kernel.ts';
import type { PkiApi } from '../../pki/module.ts';
import type { TlsApi } from '../../tls/module.ts';

/** What the GIS server's administrator API works with: the same pki and tls modules as the portal's. */
export interface GisAdminContext {
  readonly kernel: Kernel;
  readonly pki: PkiApi;
  readonly tls: Pick<TlsApi, 'settings' | 'update'>;
}
