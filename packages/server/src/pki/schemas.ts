/**
 * The answers of the certificate, trust store, diagnosis and health routes as TypeBox schemas;
 * the web UI imports their Static types (type-only). Pure TypeBox: no Node import.
 */
import { type Static, Type } from '@sinclair/typebox';
import { EpochMs, StatusSuccess, StringEnum } from '../http/schemas.ts';

const Str = Type.String();
const Strings = Type.Array(Type.String());

export const EXPIRY_STATES = ['valid', 'expiring', 'expired', 'not_yet_valid'] as const;
const ExpiryState = StringEnum(EXPIRY_STATES);

const validity = {
  validFrom: EpochMs,
  validUntil: EpochMs,
  expiryState: ExpiryState,
  daysLeft: Type.Number(),
};

/** A certificate of the certificate store, as listed. */
export const CertificateSummaryJson = Type.Object(
  {
    alias: Str,
    subject: Str,
    issuer: Str,
    ...validity,
    hasPrivateKey: Type.Boolean(),
    issuedByLocalCa: Type.Boolean(),
    inUse: Type.Boolean({
      description: 'Served by the listener (the web server certificate or an SNI one).',
    }),
  },
  { title: 'CertificateSummary' },
);
export type CertificateSummaryJson = Static<typeof CertificateSummaryJson>;

const keyDetails = {
  subjectAlternativeNames: Strings,
  keyAlgorithm: Str,
  keySize: Type.Optional(Type.Integer()),
  serialNumber: Str,
  sha1Fingerprint: Str,
  sha256Fingerprint: Str,
};

/** One certificate of the store: names, validity, key, fingerprints and its issuers. */
export const CertificateJson = Type.Object({
  ...CertificateSummaryJson.properties,
  ...keyDetails,
  chain: Type.Array(Type.Object({ subject: Str, issuer: Str, sha256Fingerprint: Str, validUntil: EpochMs }), {
    description: "The issuers, the leaf's issuer first.",
  }),
});
export type CertificateJson = Static<typeof CertificateJson>;

/** GET portaladmin/security/sslCertificates: ArcGIS fields, then Meridian's. */
export const CertificateListJson = Type.Object({
  sslCertificates: Strings,
  webServerCertificateAlias: Str,
  sslProtocols: Strings,
  cipherSuites: Strings,
  HSTSEnabled: Type.Boolean(),
  sniCertificates: Type.Record(Type.String(), Type.String(), { description: 'Host name → alias.' }),
  httpsRequiredPaths: Strings,
  certificates: Type.Array(CertificateSummaryJson),
});
export type CertificateListJson = Static<typeof CertificateListJson>;

/** A certificate of the trust store. */
export const TrustEntryJson = Type.Object(
  {
    alias: Str,
    subject: Str,
    issuer: Str,
    sha256Fingerprint: Str,
    ...validity,
    isCA: Type.Boolean(),
    builtIn: Type.Boolean({ description: "The portal's own root CA: always trusted, cannot be deleted." }),
  },
  { title: 'TrustEntry' },
);
export type TrustEntryJson = Static<typeof TrustEntryJson>;

export const TrustEntryDetailsJson = Type.Object({
  ...TrustEntryJson.properties,
  ...keyDetails,
  selfSigned: Type.Boolean(),
});
export type TrustEntryDetailsJson = Static<typeof TrustEntryDetailsJson>;

export const TrustStoreJson = Type.Object({ certificates: Type.Array(TrustEntryJson) });

export const HealthJson = Type.Object({
  status: StringEnum(['ok', 'warning']),
  warnings: Type.Array(
    Type.Object({
      store: StringEnum(['certificates', 'trustStore']),
      alias: Str,
      subject: Str,
      validUntil: EpochMs,
      daysLeft: Type.Number(),
      state: StringEnum(['expiring', 'expired', 'not_yet_valid']),
      message: Str,
      inUse: Type.Boolean({
        description:
          'Served by the listeners (web server or SNI certificate): expired or not yet valid, it makes the health check answer an error.',
      }),
    }),
  ),
});
export type HealthJson = Static<typeof HealthJson>;

export const PresentedCertificateJson = Type.Object({
  subject: Str,
  issuer: Str,
  sha256Fingerprint: Str,
  validFrom: EpochMs,
  validUntil: EpochMs,
  subjectAlternativeNames: Strings,
  isCA: Type.Boolean(),
  pem: Str,
});
export type PresentedCertificateJson = Static<typeof PresentedCertificateJson>;

/** Why the portal can or cannot trust an HTTPS site, with the fix (pki/diagnose/report.ts). */
export const DiagnosisJson = Type.Object(
  {
    ok: Type.Boolean(),
    code: Type.String({ description: "The first problem's code ('ok' when there is none)." }),
    message: Type.String({ description: 'What is wrong, naming certificates, dates and names.' }),
    fix: Type.String({ description: 'The exact fix of every problem (empty when ok).' }),
    problems: Type.Array(Type.Object({ code: Str, message: Str, fix: Str })),
    host: Str,
    port: Type.Integer(),
    address: Type.Optional(Str),
    protocol: Type.Optional(Str),
    cipher: Type.Optional(Str),
    presentedChain: Type.Array(PresentedCertificateJson),
    suggestedTrust: Type.Optional(
      Type.Object(
        { pem: Str, sha256Fingerprint: Str, subject: Str },
        { description: 'The certificate to trust once its fingerprint is confirmed.' },
      ),
    ),
    missingIssuer: Type.Optional(Type.Object({ subject: Str, caIssuersUrls: Strings })),
    certificateNames: Type.Optional(Strings),
    warnings: Strings,
    steps: Type.Array(Type.Object({ name: Str, ok: Type.Boolean(), ms: Type.Number() })),
    checkedAt: EpochMs,
  },
  { title: 'Diagnosis' },
);
export type DiagnosisJson = Static<typeof DiagnosisJson>;

export const TrustDiagnosedAnswer = StatusSuccess({ alias: Str, notes: Strings, diagnosis: DiagnosisJson });
export type TrustDiagnosedAnswer = Static<typeof TrustDiagnosedAnswer>;

export const ImportTrustedAnswer = StatusSuccess({
  aliases: Strings,
  notes: Type.Array(Type.String(), {
    description: 'A server certificate pins one server; a certificate already trusted keeps its alias.',
  }),
});
export const ImportCertificateAnswer = StatusSuccess({
  alias: Str,
  chainComplete: Type.Boolean(),
  warnings: Strings,
});
export const GenerateCertificateAnswer = StatusSuccess({ alias: Str });
export const CsrAnswer = StatusSuccess({ certificateSigningRequest: Str });
export const PkiSuccess = StatusSuccess({});
