import type { OAuthApp } from './registry.ts';
import type { RegisteredAppJson, RegisteredAppWithSecretJson } from './schemas.ts';

/** A registered app in the ArcGIS shape, without its secret. */
export function registeredAppJson(app: OAuthApp): RegisteredAppJson {
  return {
    itemId: app.itemId,
    client_id: app.clientId,
    appType: app.appType,
    redirect_uris: [...app.redirectUris],
    httpReferrers: [...app.httpReferrers],
    privileges: [],
    registered: app.registered,
    modified: app.modified,
  };
}

/** The same with the secret just created: only for the answers that show it once. */
export function registeredAppWithSecretJson(
  app: OAuthApp,
  clientSecret: string,
): RegisteredAppWithSecretJson {
  const { itemId, client_id, ...rest } = registeredAppJson(app);
  return { itemId, client_id, client_secret: clientSecret, ...rest };
}
