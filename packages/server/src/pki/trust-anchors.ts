import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { pemBlocks } from './pem.ts';

let platformRoots: X509Certificate[] | undefined;

/** The public roots Node.js ships (Mozilla's list), parsed once. */
export function platformRootCertificates(): X509Certificate[] {
  platformRoots ??= rootCertificates.map((pem) => new X509Certificate(pem));
  return platformRoots;
}

/** A trust store's PEM entries (each may be a bundle) as certificates; unreadable entries are skipped. */
export function parseAnchors(pems: readonly string[]): { anchors: X509Certificate[]; skipped: number } {
  const anchors: X509Certificate[] = [];
  let skipped = 0;
  for (const pem of pems) {
    for (const block of pemBlocks(pem)) {
      if (block.label !== 'CERTIFICATE') continue;
      try {
        anchors.push(new X509Certificate(block.der));
      } catch {
        skipped++;
      }
    }
  }
  return { anchors, skipped };
}

/** The anchors to verify against: the trust store, plus the platform's roots when asked. */
export function resolveAnchors(pems: readonly string[], includePublicRoots: boolean): X509Certificate[] {
  const own = parseAnchors(pems).anchors;
  return includePublicRoots ? [...own, ...platformRootCertificates()] : own;
}
