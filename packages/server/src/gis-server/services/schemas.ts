/** The answers and parameters of the feature services' REST and administrator resources. Pure TypeBox. */
import { Type } from '@sinclair/typebox';
import { EpochMs, Nullable, StringEnum } from '../../http/schemas.ts';

/**
 * A GeoServices resource built by features/query (a FeatureServer, a layer, a query answer):
 * its shape is the GeoServices specification's, documented there, not here.
 */
export const GeoServicesJson = Type.Record(Type.String(), Type.Unknown(), {
  description: 'A GeoServices JSON resource (FeatureServer, layer, query answer; GeoJSON for f=geojson).',
});

/** The `f` of a query: GeoJSON too. */
export const QueryFormat = Type.Optional(
  StringEnum(['json', 'pjson', 'geojson'], { description: 'Response format (json, pjson, geojson).' }),
);

/** A service in the administrator API's lists. */
export const AdminServiceEntry = Type.Object({
  folderName: Type.String({ description: "'/' for the root folder." }),
  serviceName: Type.String(),
  type: Type.Literal('FeatureServer'),
  description: Type.String(),
  url: Type.String(),
  portalItemId: Type.Optional(Type.String()),
});

export const AdminServicesJson = Type.Object({
  folderName: Type.String(),
  folders: Type.Array(Type.String()),
  services: Type.Array(AdminServiceEntry),
});

export const AdminServiceJson = Type.Object({
  serviceName: Type.String(),
  folderName: Type.String(),
  type: Type.Literal('FeatureServer'),
  description: Type.String(),
  access: StringEnum(['private', 'public']),
  owner: Type.String(),
  portalItemId: Nullable(Type.String()),
  maxRecordCount: Type.Integer(),
  url: Type.String(),
  created: EpochMs,
  modified: EpochMs,
  layers: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      geometryType: Nullable(Type.String()),
      featureCount: Type.Integer(),
    }),
  ),
});

export const CreateServiceParams = Type.Object({
  service: Type.String({
    maxLength: 20_000,
    description:
      'JSON: {serviceName, type:"FeatureServer", folderName?, description?, access?: "private"|"public"}.',
  }),
  fileType: Type.Optional(
    StringEnum(['geojson', 'csv'], { description: 'The data format (default: by the file name).' }),
  ),
});

export const CreateServiceJson = Type.Object({
  status: Type.Literal('success'),
  jobId: Type.String({ description: 'The publish job (see /arcgis/admin/jobs/<jobId>).' }),
  serviceUrl: Type.String(),
  folderName: Type.String(),
  serviceName: Type.String(),
});

export const DeleteServiceJson = Type.Object({
  status: Type.Literal('success'),
  message: Type.Optional(Type.String()),
});
