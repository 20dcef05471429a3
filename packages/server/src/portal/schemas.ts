/** The answers of the portal routes (Sharing API root, info, portals/self); the web UI imports their Static types. Pure TypeBox. */
import { type Static, Type } from '@sinclair/typebox';
import { EpochMs, StringEnum, Success } from '../http/schemas.ts';

const Str = Type.String();

export const ITEM_ACCESS_DEFAULTS = ['private', 'org', 'public'] as const;

/** A tiled layer of the organisation's basemap, as ArcGIS portals describe it. */
export const BasemapLayerJson = Type.Union([
  Type.Object({
    id: Type.Optional(Str),
    layerType: Type.Literal('WebTiledLayer'),
    templateUrl: Type.String({
      description: 'Tile URL template with {level}, {col} and {row} (https).',
    }),
    copyright: Type.Optional(Str),
  }),
  Type.Object({
    id: Type.Optional(Str),
    layerType: Type.Literal('ArcGISTiledMapServiceLayer'),
    url: Type.String({ description: 'A tiled map service (https://…/MapServer).' }),
    copyright: Type.Optional(Str),
  }),
]);
export type BasemapLayerJson = Static<typeof BasemapLayerJson>;

/** The organisation's basemap (portals/self defaultBasemap): tiles under the features of item maps. */
export const DefaultBasemapJson = Type.Object({
  title: Str,
  baseMapLayers: Type.Array(BasemapLayerJson, { minItems: 1 }),
});
export type DefaultBasemapJson = Static<typeof DefaultBasemapJson>;

export const RestRootJson = Type.Object({ currentVersion: Str });

/** sharing/rest/info: how to authenticate against this portal. */
export const RestInfoJson = Type.Object({
  owningSystemUrl: Str,
  fullVersion: Str,
  currentVersion: Str,
  authInfo: Type.Object({
    isTokenBasedSecurity: Type.Boolean(),
    tokenServicesUrl: Str,
    shortLivedTokenValidity: Type.Integer({ description: 'Minutes.' }),
  }),
});

/** portals/self: the organisation, and the caller when signed in. */
export const PortalSelfJson = Type.Object({
  id: Str,
  name: Str,
  description: Str,
  isPortal: Type.Boolean(),
  portalMode: Str,
  portalName: Str,
  currentVersion: Str,
  allSSL: Type.Boolean(),
  portalHostname: Str,
  urlKey: Type.Null(),
  customBaseUrl: Str,
  canSignInArcGIS: Type.Boolean(),
  canSignInIDP: Type.Boolean(),
  idpName: Type.Optional(
    Type.String({
      description: "The organisation's SAML login (shown on the sign-in page), when it has one.",
    }),
  ),
  allowBuiltInAccounts: Type.Boolean({
    description: "Whether built-in accounts may be created (Meridian's setting; off: SAML accounts only).",
  }),
  canSearchPublic: Type.Boolean(),
  canSharePublic: Type.Boolean(),
  access: Str,
  maxTokenExpirationMinutes: Type.Integer(),
  defaultTokenExpirationMinutes: Type.Integer(),
  defaultItemAccess: StringEnum(ITEM_ACCESS_DEFAULTS, {
    description: "Who sees a new item added with the web UI's Add item form.",
  }),
  isPortalSslRequired: Type.Boolean(),
  supportsOAuth: Type.Boolean(),
  created: EpochMs,
  modified: EpochMs,
  helperServices: Type.Object({}),
  authorizedCrossOriginDomains: Type.Array(Type.String()),
  allowedOrigins: Type.Array(Type.String(), {
    description:
      'Origins of browser apps that may call the Sharing API cross-origin (CORS); empty: every origin.',
  }),
  defaultBasemap: Type.Optional(
    Type.Object(DefaultBasemapJson.properties, {
      description:
        "The organisation's basemap: tiles drawn under the features of item maps. Absent: none, the maps draw on a plain background (they work offline).",
    }),
  ),
  user: Type.Optional(
    Type.Object(
      { username: Str, role: Str, privileges: Type.Array(Type.String()) },
      {
        description: 'The caller, when signed in.',
      },
    ),
  ),
  portalProperties: Type.Optional(Type.Object({}, { description: 'For administrators.' })),
  restUrl: Str,
});
export type PortalSelfJson = Static<typeof PortalSelfJson>;

export const PortalUpdateAnswer = Success({ id: Str });
