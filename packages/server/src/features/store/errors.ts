import { defineError } from '../../kernel/errors/meridian-error.ts';

/** Errors of the feature stores: layers that do not exist, plans a store cannot run, PostGIS missing. */

export const LayerNotFound = defineError({
  code: 'features.layer_not_found',
  status: 400,
  summary: 'The layer does not exist in this feature service (or it is still being published).',
  fix: 'Check the service name and the layer id (GET the service to list its layers).',
});

export const LayerExists = defineError({
  code: 'features.layer_exists',
  status: 409,
  arcgisCode: 400,
  summary: 'A layer with this id already exists in the service.',
  fix: 'Delete the service (or its layer) first, or publish under another layer id.',
});

export const InvalidLayerDefinition = defineError({
  code: 'features.invalid_layer',
  status: 400,
  summary: 'The layer definition is invalid: a field name, type or the object id field is wrong.',
  fix: 'Correct the field named in the message and publish again.',
});

export const InvalidFeature = defineError({
  code: 'features.invalid_feature',
  status: 400,
  summary:
    'A feature does not fit its layer: an attribute has the wrong type or the geometry the wrong shape.',
  fix: 'Correct the feature named in the message and publish again.',
});

export const UnsupportedQuery = defineError({
  code: 'features.invalid_query',
  status: 400,
  summary:
    'The query names a field the layer does not have, or applies an operation to a field of the wrong type.',
  fix: 'Correct the field or statistic named in the message and send the query again.',
});

export const PostgisUnavailable = defineError({
  code: 'features.postgis_unavailable',
  status: 503,
  arcgisCode: 500,
  summary: 'The PostgreSQL feature store cannot be used: the database is unreachable or PostGIS is missing.',
  fix: 'Install PostGIS on the PostgreSQL server (e.g. apt install postgresql-15-postgis-3) and let the GIS server run CREATE EXTENSION postgis, or drop the PostgreSQL URL to use the embedded SQLite store.',
});
