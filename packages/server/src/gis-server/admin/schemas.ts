/** The answers of the GIS server's administrator API for machines, sslcertificates and security/tokens. Pure TypeBox. */
import { Type } from '@sinclair/typebox';
import { EpochMs, StatusSuccess } from '../../http/schemas.ts';
import { CertificateJson } from '../../pki/module.ts';

const Str = Type.String();

const MachineSummary = { machineName: Str, adminURL: Str };

/** machines */
export const MachinesJson = Type.Object({ machines: Type.Array(Type.Object(MachineSummary)) });

/** machines/<machine> */
export const MachineJson = Type.Object({
  ...MachineSummary,
  platform: Str,
  webServerSSLEnabled: Type.Boolean(),
  webServerCertificateAlias: Str,
  sslProtocols: Type.Array(Str),
  configuredState: Type.Literal('STARTED'),
  synchronize: Type.Boolean(),
  underMaintenance: Type.Boolean(),
});

/** machines/<machine>/sslcertificates */
export const CertificateAliasesJson = Type.Object({
  certificates: Type.Array(Str, {
    description: 'The aliases of the certificate store (keys and certificates).',
  }),
});

/** machines/<machine>/sslcertificates/<alias>: ArcGIS Server's fields, then the pki module's description. */
export const MachineCertificateJson = Type.Object({
  aliasName: Str,
  entryType: Type.Union([Type.Literal('PrivateKeyEntry'), Type.Literal('trustedCertEntry')]),
  issuer: Str,
  subject: Str,
  subjectAlternativeName: Type.Array(Str),
  validFrom: Type.String({ description: 'Start of validity (date).' }),
  validUntil: Type.String({ description: 'End of validity (date).' }),
  validFromEpoch: EpochMs,
  validUntilEpoch: EpochMs,
  keyAlgorithm: Str,
  keySize: Str,
  serialNumber: Str,
  version: Str,
  sha1Fingerprint: Str,
  sha256Fingerprint: Str,
  description: CertificateJson,
});

/** An import: the alias (or aliases) stored, and what the pki module noted. */
export const ImportAnswer = StatusSuccess({
  aliases: Type.Array(Str),
  chainComplete: Type.Optional(Type.Boolean()),
  warnings: Type.Optional(Type.Array(Str)),
  notes: Type.Optional(Type.Array(Str)),
});

export const CsrJson = Type.Object({ certificateSigningRequest: Str });

export const Done = StatusSuccess({
  warnings: Type.Optional(
    Type.Array(Str, { description: 'What force overrode, when it overrode something.' }),
  ),
});

const TokenProperties = Type.Object({
  longTimeout: Type.Integer({ description: 'Minutes: the longest lifetime a client may ask for.' }),
  shortTimeout: Type.Integer({ description: 'Minutes: the lifetime of a token asked for without one.' }),
});

/** security/tokens: never the shared key (Meridian keeps its own signing keys). */
export const TokenManagerJson = Type.Object({
  tokenManagerConfig: Type.Object({ type: Type.Literal('BUILTIN'), properties: TokenProperties }),
});
