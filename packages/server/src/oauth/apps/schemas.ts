/** The answers of the registered-app routes; the web UI imports their Static types. Pure TypeBox. */
import { type Static, Type } from '@sinclair/typebox';
import { EpochMs, Nullable, StatusSuccess, StringEnum, Success } from '../../http/schemas.ts';

const Strings = Type.Array(Type.String());

/**
 * The item types registerApp accepts: "Application" (what arcgis-rest-js's createOAuthApp adds)
 * and the ArcGIS application types whose apps sign users in. The web UI shows the registration
 * panel on these.
 */
export const APPLICATION_ITEM_TYPES = [
  'Application',
  'Web Mapping Application',
  'Mobile Application',
  'Native Application',
  'Desktop Application',
] as const;

export const APP_TYPES = ['browser', 'native', 'server', 'multiple'] as const;

const appProperties = {
  itemId: Nullable(
    Type.String({ description: 'The application item; null for the built-in arcgisonline client.' }),
  ),
  client_id: Type.String({ description: 'The app id (APPID): 16 letters and digits.' }),
  appType: StringEnum(APP_TYPES),
  redirect_uris: Strings,
  httpReferrers: Strings,
  privileges: Type.Array(Type.String(), {
    description: 'Always empty: API key privileges are not supported.',
  }),
  registered: EpochMs,
  modified: EpochMs,
};

/** A registered app (oauth2/apps/<client_id>, registeredAppInfo, update): never its secret. */
export const RegisteredAppJson = Type.Object(appProperties);
export type RegisteredAppJson = Static<typeof RegisteredAppJson>;

/** A registered app with its client secret: only registerApp's and resetSecret's answers. */
export const RegisteredAppWithSecretJson = Type.Object({
  ...appProperties,
  client_secret: Type.String({
    description:
      'The client secret (APPSECRET), shown this once: only its hash is stored, no later answer contains it. Keep it; if lost, reset it.',
  }),
});
export type RegisteredAppWithSecretJson = Static<typeof RegisteredAppWithSecretJson>;

export const UnregisterAppAnswer = Success({ itemId: Type.String() });
export type UnregisterAppAnswer = Static<typeof UnregisterAppAnswer>;

/** portaladmin/security/oauth/getAppInfo. */
export const AppInfoJson = Type.Object({
  appId: Type.String(),
  redirectURIs: Type.Array(Type.String(), {
    description:
      "For arcgisonline, the first is always the portal's own web UI callback (derived from its public URL).",
  }),
});
export type AppInfoJson = Static<typeof AppInfoJson>;

export const AppInfoUpdated = StatusSuccess({});
