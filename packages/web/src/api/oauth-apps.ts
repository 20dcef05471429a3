import type {
  APP_TYPES,
  APPLICATION_ITEM_TYPES,
  RegisteredAppJson,
  RegisteredAppWithSecretJson,
  UnregisterAppAnswer,
} from '@meridian/server/oauth/apps/schemas.ts';
import { request } from './client.ts';
import { ApiError } from './errors.ts';

export type AppType = (typeof APP_TYPES)[number];
export type RegisteredApp = RegisteredAppJson;
/** registerApp's and resetSecret's answer: the only ones with the client secret. */
export type RegisteredAppWithSecret = RegisteredAppWithSecretJson;

/** The item types the portal registers as apps (the server's list; checked against its type). */
const APPLICATION_TYPES: readonly (typeof APPLICATION_ITEM_TYPES)[number][] = [
  'Application',
  'Web Mapping Application',
  'Mobile Application',
  'Native Application',
  'Desktop Application',
];

export function isApplicationType(type: string): boolean {
  return (APPLICATION_TYPES as readonly string[]).includes(type);
}

const enc = encodeURIComponent;
const OAUTH2 = '/sharing/rest/oauth2';

/** The app registered for an item, or null when it has none. */
export async function getRegisteredApp(owner: string, itemId: string): Promise<RegisteredApp | null> {
  try {
    return await request<RegisteredApp>(
      `/sharing/rest/content/users/${enc(owner)}/items/${enc(itemId)}/registeredAppInfo`,
    );
  } catch (err) {
    if (err instanceof ApiError && err.errorCode === 'oauth.app_not_found') return null;
    throw err;
  }
}

export interface AppSettings {
  appType: AppType;
  redirectUris: string[];
  httpReferrers: string[];
}

export function registerApp(itemId: string, app: AppSettings): Promise<RegisteredAppWithSecret> {
  return request(`${OAUTH2}/registerApp`, {
    method: 'POST',
    form: {
      itemId,
      appType: app.appType,
      redirect_uris: JSON.stringify(app.redirectUris),
      httpReferrers: JSON.stringify(app.httpReferrers),
    },
  });
}

export function updateApp(clientId: string, app: AppSettings): Promise<RegisteredApp> {
  return request(`${OAUTH2}/apps/${enc(clientId)}/update`, {
    method: 'POST',
    form: {
      appType: app.appType,
      redirect_uris: JSON.stringify(app.redirectUris),
      httpReferrers: JSON.stringify(app.httpReferrers),
    },
  });
}

export function resetAppSecret(clientId: string): Promise<RegisteredAppWithSecret> {
  return request(`${OAUTH2}/apps/${enc(clientId)}/resetSecret`, { method: 'POST', form: {} });
}

export function unregisterApp(clientId: string): Promise<UnregisterAppAnswer> {
  return request(`${OAUTH2}/apps/${enc(clientId)}/unregister`, { method: 'POST', form: {} });
}
