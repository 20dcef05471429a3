import { defineError } from '../../kernel/errors/meridian-error.ts';

export const AppNotFound = defineError({
  code: 'oauth.app_not_found',
  status: 400,
  summary: 'The registered app does not exist.',
  fix: 'Check the client_id (oauth2/apps/<client_id>); an app is unregistered when its item is deleted or with oauth2/apps/<client_id>/unregister.',
});

export const AppNotPermitted = defineError({
  code: 'oauth.app_not_permitted',
  status: 403,
  summary: 'You do not have permissions to access this resource or perform this operation.',
  fix: "Only the owner of the app's item or an organisation administrator may read or change a registered app; the built-in arcgisonline client only an administrator.",
});

export const AppItemNotFound = defineError({
  code: 'oauth.item_not_found',
  status: 400,
  summary: 'Item does not exist or is inaccessible.',
  fix: 'Check the itemId, and that you are signed in as the owner of the item (or an administrator).',
});

export const ItemNotApplication = defineError({
  code: 'oauth.item_not_application',
  status: 400,
  summary: 'Only an application item can be registered as an app.',
  fix: 'Register an item of type "Application" (or Web Mapping Application, Mobile Application, Native Application, Desktop Application); add one with addItem type=Application first.',
});

export const AlreadyRegistered = defineError({
  code: 'oauth.already_registered',
  status: 409,
  arcgisCode: 400,
  summary: 'The item is already registered as an app.',
  fix: 'Read its registration with content/users/<owner>/items/<itemId>/registeredAppInfo and change it with oauth2/apps/<client_id>/update; unregister it first to register it anew.',
});

export const AppTypeInvalid = defineError({
  code: 'oauth.app_type_invalid',
  status: 400,
  summary: "'appType' must be browser, native, server or multiple.",
  fix: 'Send appType=browser (a web app), native (a mobile or desktop app), server (a server-side app with its secret) or multiple; API keys (apikey) are not supported.',
});

export const RedirectUriInvalid = defineError({
  code: 'oauth.redirect_uri_invalid',
  status: 400,
  summary: 'A redirect URI is not acceptable.',
  fix: 'Send redirect_uris as a JSON array of strings, each urn:ietf:wg:oauth:2.0:oob, an https URL, an http URL on localhost/127.0.0.1/[::1], or (native and multiple apps) a private-use scheme such as com.example.app:/callback; without a fragment (#), user info (user@), or wildcards (*).',
});

export const HttpReferrerInvalid = defineError({
  code: 'oauth.http_referrer_invalid',
  status: 400,
  summary: "'httpReferrers' is not a JSON array of referrers.",
  fix: 'Send httpReferrers as a JSON array of strings such as ["https://app.example.com/*"], each at most 2048 characters without control characters.',
});

export const PrivilegesUnsupported = defineError({
  code: 'oauth.privileges_unsupported',
  status: 400,
  summary: 'App privileges (API keys) are not supported.',
  fix: 'Send privileges as an empty JSON array ([]) or leave it out: a registered app signs users in with OAuth 2.0 and acts with their privileges.',
});

export const BuiltInApp = defineError({
  code: 'oauth.builtin_app',
  status: 400,
  summary: 'The built-in arcgisonline client cannot be changed or unregistered this way.',
  fix: 'Change its redirect URIs with portaladmin/security/oauth/updateAppInfo (appInfo={"appId":"arcgisonline","redirectURIs":[…]}).',
});

export const AppInfoInvalid = defineError({
  code: 'oauth.app_info_invalid',
  status: 400,
  summary: "'appInfo' is not a JSON object with appId and redirectURIs.",
  fix: 'Send appInfo={"appId":"arcgisonline","redirectURIs":["https://gis.example.com/server/…"]}: read the current value with getAppInfo first.',
});
