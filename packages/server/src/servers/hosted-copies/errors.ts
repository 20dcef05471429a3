import { defineError } from '../../kernel/errors/meridian-error.ts';

/** Why the features of a federated server's service could not be exported (a collaboration copy). */
export const ServerExportFailed = defineError({
  code: 'servers.export_failed',
  status: 502,
  summary:
    "The features of a federated server's service could not be exported as GeoJSON (the server refused a query or answered something unexpected, or the service has more than one layer).",
  fix: 'Check that the service answers its layer query (…/FeatureServer/0/query?where=1=1&f=geojson) and has exactly one layer or table; share a multi-layer service by reference (the link’s copyByRefIfCopyFail, or shareItemsAs=reference).',
});
