import type { Metrics } from '../kernel/metrics/metrics.ts';
import type { PkiApi } from '../pki/module.ts';
import type { WebTls } from './web-tls.ts';

const DAY = 86_400_000;

/**
 * meridian_tls_certificate_days_left{alias}: for each certificate this node serves (the web
 * server certificate as loaded, and the SNI certificates), the days until it expires; negative
 * once expired. Read when Prometheus scrapes.
 */
export function registerCertificateMetrics(
  metrics: Metrics,
  web: WebTls,
  pki: Pick<PkiApi, 'certificates'>,
): void {
  metrics.gauge(
    'meridian_tls_certificate_days_left',
    'Days until each certificate this node serves expires (negative once expired).',
    ['alias'],
    async (set) => {
      const now = Date.now();
      const served = web.certificate;
      if (served) set({ alias: served.alias }, (served.notAfter - now) / DAY);
      for (const c of (await pki.certificates.list()).certificates)
        if (c.inUse && c.alias !== served?.alias) set({ alias: c.alias }, (c.validUntil - now) / DAY);
    },
  );
}
