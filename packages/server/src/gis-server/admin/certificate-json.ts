/** One certificate of the store as ArcGIS Server's sslcertificates/<alias> shows it, plus the pki module's description. */
import type { PkiApi } from '../../pki/module.ts';

type CertificateView = Awaited<ReturnType<PkiApi['certificates']['get']>>;

export function certificateJson(v: CertificateView) {
  return {
    aliasName: v.alias,
    entryType: v.hasPrivateKey ? 'PrivateKeyEntry' : 'trustedCertEntry',
    issuer: v.issuer,
    subject: v.subject,
    subjectAlternativeName: v.subjectAlternativeNames,
    validFrom: new Date(v.validFrom).toUTCString(),
    validUntil: new Date(v.validUntil).toUTCString(),
    validFromEpoch: v.validFrom,
    validUntilEpoch: v.validUntil,
    keyAlgorithm: v.keyAlgorithm,
    keySize: v.keySize === undefined ? '' : String(v.keySize),
    serialNumber: v.serialNumber,
    version: '3',
    sha1Fingerprint: v.sha1Fingerprint,
    sha256Fingerprint: v.sha256Fingerprint,
    /** Meridian's own description: expiry state, chain, whether it is served, whether the server's CA issued it. */
    description: v,
  };
}
