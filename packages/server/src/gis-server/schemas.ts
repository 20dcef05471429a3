/** The answers of the GIS server's REST root and administrator API root. Pure TypeBox. */
import { type Static, Type } from '@sinclair/typebox';

/** rest/info: the server's version and how to get a token. */
export const ServerInfoJson = Type.Object({
  currentVersion: Type.Number(),
  fullVersion: Type.String(),
  owningSystemUrl: Type.Optional(Type.String({ description: 'The portal, once federated.' })),
  authInfo: Type.Object({
    isTokenBasedSecurity: Type.Boolean(),
    tokenServicesUrl: Type.String(),
    shortLivedTokenValidity: Type.Integer({ description: 'Minutes.' }),
  }),
});
export type ServerInfoJson = Static<typeof ServerInfoJson>;

/** rest/services: the services directory. */
export const ServicesJson = Type.Object({
  currentVersion: Type.Number(),
  folders: Type.Array(Type.String()),
  services: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
});

/** admin: the administrator API's root. */
export const AdminRootJson = Type.Object({
  resources: Type.Array(Type.String()),
  currentVersion: Type.Number(),
});
