import { defineError } from '../../kernel/errors/meridian-error.ts';

/**
 * Why publishing an item to the hosting server failed. Each names the cause and the fix; a
 * failed publish leaves no service item on the portal (and no service on the server).
 */
export const PublishNoHostingServer = defineError({
  code: 'servers.no_hosting_server',
  status: 400,
  summary: 'The portal has no hosting server: hosted feature services are published to one.',
  fix: 'Federate a GIS server (Organization › Settings › Servers, or portaladmin/federation/servers/federate) and set it as the hosting server (serverRole HOSTING_SERVER, federation/servers/<id>/update).',
});

export const PublishNotPermitted = defineError({
  code: 'servers.publish_not_permitted',
  status: 403,
  summary:
    'You may not publish this item: publishing needs the publisher role (portal:publisher:publishFeatures), and the item must be yours (administrators publish any user’s items).',
  fix: 'Ask an administrator to give you the publisher role, or publish your own items under content/users/<your username>/publish.',
});

export const PublishItemInvalid = defineError({
  code: 'servers.publish_item_invalid',
  status: 400,
  summary:
    'The item cannot be published: it does not exist, is not a GeoJSON or CSV item, has no data file, or the parameters are not valid.',
  fix: 'Publish a GeoJSON or CSV item that has its data (a file or text), with filetype geojson or csv and publishParameters {"name":"<service name>"}.',
});

export const PublishFailed = defineError({
  code: 'servers.publish_failed',
  status: 502,
  summary:
    'The hosting server could not publish the data (its reason, naming the bad line or feature, is in the message); nothing was kept.',
  fix: 'Correct the data named in the message (update the item’s file) and publish again.',
});

export const PublishServerLost = defineError({
  code: 'servers.publish_server_lost',
  status: 502,
  summary:
    'The hosting server stopped answering, or restarted, while it published: the outcome is unknown or the server dropped the work; nothing was kept on the portal.',
  fix: 'Check that the hosting server runs and that the portal reaches it (federation/servers/<id>/validate), then publish again.',
});
