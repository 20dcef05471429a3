import { defineError } from '../../kernel/errors/meridian-error.ts';

/** Errors of the GIS server's feature services: the catalog, publishing, the REST resources. */

export const ServiceNotFound = defineError({
  code: 'gis.service_not_found',
  status: 404,
  summary: 'The service (or folder) does not exist on this server.',
  fix: 'Check the folder and service name in the URL (see /arcgis/rest/services for the list).',
});

export const LayerNotFound = defineError({
  code: 'gis.layer_not_found',
  status: 404,
  summary: 'The feature service has no layer with this id.',
  fix: 'Use one of the layer ids the service lists (…/FeatureServer/layers).',
});

export const ServiceExists = defineError({
  code: 'gis.service_exists',
  status: 409,
  arcgisCode: 400,
  summary: 'A service of this name already exists in this folder (names are compared without case).',
  fix: 'Choose another service name, or delete the existing service first.',
});

export const BadServiceName = defineError({
  code: 'gis.bad_service_name',
  status: 400,
  summary: 'A service or folder name is not allowed.',
  fix: 'Use letters, digits and underscores only (at most 120 characters), starting with a letter or digit.',
});

export const BadServiceDefinition = defineError({
  code: 'gis.bad_service_definition',
  status: 400,
  summary: 'The service definition or its data file is missing or invalid.',
  fix: 'Send the `service` JSON ({serviceName, type:"FeatureServer", folderName?, description?, access?}) and a GeoJSON or CSV `file`.',
});
