import { type Static, Type } from '@sinclair/typebox';

/** A federation as portaladmin/federations shows it (the web UI reads the type from here). */
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T, description: string) =>
  Type.Union([t, Type.Null()], { description });

export const FederationJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  metadataUrl: Type.String({ description: 'The signed aggregate.' }),
  mdqUrl: Type.Union([Type.String(), Type.Null()]),
  discoveryUrl: Type.Union([Type.String(), Type.Null()]),
  signingCertificates: Type.String({ description: 'PEM.' }),
  validUntil: Nullable(
    Type.Number(),
    'validUntil of the metadata in use (epoch ms); null before the first good load.',
  ),
  cacheDurationMs: Nullable(Type.Number(), 'Its cacheDuration.'),
  entities: Type.Number({ description: 'Entities in the metadata in use.' }),
  identityProviders: Type.Number({ description: 'Identity providers indexed from it.' }),
  metadataBytes: Type.Number(),
  lastSuccess: Nullable(Type.Number(), 'When the metadata in use was loaded.'),
  lastAttempt: Nullable(Type.Number(), 'The last refresh, good or not.'),
  lastError: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()], {
    description: 'Why the last refresh failed (the metadata in use stays); null when it succeeded.',
  }),
  nextRefresh: Type.Number({ description: 'When the next scheduled refresh is due.' }),
  refreshing: Type.Boolean({ description: 'A refresh holds the lease now.' }),
});

export type FederationJson = Static<typeof FederationJson>;
