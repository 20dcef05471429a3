/** The answers of the servers module's routes. Pure TypeBox. */
import { Type } from '@sinclair/typebox';
import { StringEnum } from '../http/schemas.ts';
import { ROLES } from './store.ts';

export const ServerJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  adminUrl: Type.Optional(Type.String({ description: 'Administrators only (portals/self/servers).' })),
  isHosted: Type.Boolean(),
  serverType: Type.Literal('ArcGIS'),
  serverRole: StringEnum(ROLES),
  serverFunction: Type.String(),
});

export const ServersJson = Type.Object({ servers: Type.Array(ServerJson) });

export const ValidationJson = Type.Object({
  status: StringEnum(['success', 'success with warnings', 'failure', 'undetermined']),
  serverId: Type.String(),
  adminUrl: Type.String(),
  messages: Type.Array(Type.String()),
  fingerprintToConfirm: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  diagnosisCode: Type.Optional(
    Type.String({
      description:
        'Why the certificate is refused (the pki diagnosis: trust.unknown_ca, trust.self_signed, …).',
    }),
  ),
});

export const ServersStatusJson = Type.Object({
  serversStatus: Type.Array(ValidationJson),
  status: StringEnum(['success', 'success with warnings', 'failure', 'undetermined']),
});

const TrustPresentedCertificate = Type.String({
  maxLength: 200,
  description:
    'The SHA-256 fingerprint (any case, colons optional) of the presented certificate to trust, as the untrusted_certificate error showed it.',
});

export const FederateParams = Type.Object({
  url: Type.String({ maxLength: 2048, description: 'The services URL root, https://host:6443/arcgis.' }),
  adminUrl: Type.Optional(Type.String({ maxLength: 2048, description: 'Default: url + /admin.' })),
  username: Type.String({ minLength: 1, maxLength: 128, description: "A server administrator's username." }),
  password: Type.String({ minLength: 1, maxLength: 1024, description: 'Used once; never stored or logged.' }),
  trustPresentedCertificate: Type.Optional(TrustPresentedCertificate),
});

/** A federated server whose certificate changed to one from an untrusted CA: its fingerprint confirmed. */
export const ValidateParams = Type.Object({
  trustPresentedCertificate: Type.Optional(TrustPresentedCertificate),
});

export const UpdateParams = Type.Object({
  serverRole: StringEnum(ROLES),
  serverFunction: Type.Optional(Type.String({ maxLength: 300 })),
});

export const AccessParams = Type.Object({
  itemIds: Type.String({ minLength: 1, maxLength: 20_000, description: 'Comma-separated item ids.' }),
  username: Type.Optional(Type.String({ maxLength: 128, description: 'Empty: anonymous.' })),
});

export const AccessJson = Type.Object({
  items: Type.Record(Type.String(), Type.Object({ canRead: Type.Boolean(), owner: Type.String() })),
});

export const RegisterServiceParams = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  folder: Type.Optional(Type.String({ maxLength: 200 })),
  type: Type.Optional(Type.String({ maxLength: 64 })),
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  owner: Type.Optional(Type.String({ maxLength: 128 })),
  title: Type.Optional(Type.String({ maxLength: 250 })),
});
