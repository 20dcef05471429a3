/** The answers and parameters of the server's security/config resources. Pure TypeBox. */
import { type Static, Type } from '@sinclair/typebox';
import { StringEnum } from '../../http/schemas.ts';

const Tier = StringEnum(['GIS_SERVER', 'ARCGIS_PORTAL']);

export const SecurityConfigJson = Type.Object({
  authenticationTier: Tier,
  sslEnabled: Type.Boolean(),
  httpEnabled: Type.Boolean(),
  portalProperties: Type.Object({
    portalUrl: Type.Optional(Type.String()),
    portalId: Type.Optional(Type.String()),
    serverId: Type.Optional(Type.String({ description: 'The id the portal gave this server.' })),
    portalMode: Type.Optional(Type.Literal('ARCGIS_PORTAL_FEDERATION')),
  }),
  federated: Type.Boolean(),
});
export type SecurityConfigJson = Static<typeof SecurityConfigJson>;

export const SecurityConfigUpdateParams = Type.Object({
  authenticationTier: Tier,
  portalProperties: Type.Optional(
    Type.String({
      description:
        'JSON: {portalUrl, portalId, serverId, portalSecretKey, portalCaChain} to federate; {} with GIS_SERVER to unfederate.',
    }),
  ),
});

export const SecurityConfigUpdateJson = Type.Object({
  status: Type.Literal('success'),
  serverId: Type.String({ description: "This server's own id." }),
});
