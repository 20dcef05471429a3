import { defineError } from '../kernel/errors/meridian-error.ts';

export const SignInLockout = defineError({
  code: 'portal.sign_in_lockout',
  status: 400,
  summary:
    'Built-in sign-in cannot be turned off (canSignInArcGIS=false) while nobody could sign in as an administrator through a SAML login.',
  fix: 'Register the SAML login, sign in through it with the account that will administer the organisation, make that account an administrator (org_admin), then turn built-in sign-in off.',
});

export const BasemapInvalid = defineError({
  code: 'portal.basemap_invalid',
  status: 400,
  summary: 'The defaultBasemap given to portals/self/update is not a basemap the portal can use.',
  fix: 'Send defaultBasemap as JSON {"title":"…","baseMapLayers":[{"layerType":"WebTiledLayer","templateUrl":"https://tiles.example.org/{level}/{col}/{row}.png","copyright":"…"}]} (or a layer {"layerType":"ArcGISTiledMapServiceLayer","url":"https://…/MapServer"}), with https URLs that carry no user name or password; send it empty to remove the basemap.',
});
