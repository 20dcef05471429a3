import type { TestPortal } from '../../test/portal.ts';
import type { TlsContext } from './context.ts';

/** For the tls module's own tests: the context its services work with, from a running portal. */
export function tlsContextOf(portal: TestPortal): TlsContext {
  return {
    ...portal.kernel,
    pki: portal.modules.pki,
    requireHttpsEverywhere: async () => (await portal.modules.portal.settings.get()).allSSL,
  };
}
