import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../http/schemas.ts';

export const PublishParams = Type.Object({
  itemId: Type.String({ minLength: 1, maxLength: 64, description: 'The GeoJSON or CSV item to publish.' }),
  filetype: Type.String({ maxLength: 40, description: 'geojson or csv.' }),
  publishParameters: Type.String({
    maxLength: 100_000,
    description:
      'JSON: {"name":"<service name>","folder":"<server folder>","description":"…"}; other members are ignored.',
  }),
  outputType: Type.Optional(Type.String({ maxLength: 40, description: 'Empty or featureService.' })),
  buildInitialCache: Type.Optional(
    Type.String({ maxLength: 10, description: 'Accepted (no cache is built).' }),
  ),
});

/**
 * The Publish Item answer. Publishing is asynchronous here: the job is started and answered at
 * once; serviceItemId is not known yet (read it from the job's result, or from
 * items/<itemId>/status?jobId=…&jobType=publish once completed).
 */
export const PublishAnswer = Type.Object({
  services: Type.Array(
    Type.Object({
      type: Type.Literal('Feature Service'),
      serviceurl: Type.String({ description: 'Where the service will be.' }),
      jobId: Type.String({ description: 'The portal job publishing it (portaladmin/jobs/<jobId>).' }),
      status: Type.Literal('processing'),
      serviceName: Type.String(),
      folderName: Type.String(),
      serverId: Type.String({ description: 'The hosting server.' }),
    }),
  ),
});

export const StatusParams = Type.Object({
  jobId: Type.String({ minLength: 1, maxLength: 64, description: 'The jobId publish answered.' }),
  jobType: Type.Optional(StringEnum(['publish'], { description: 'publish (the only job type here).' })),
});

/** ArcGIS's item status for a publish job, with the job's progress. */
export const StatusAnswer = Type.Object({
  status: StringEnum(['processing', 'completed', 'failed']),
  statusMessage: Type.String(),
  itemId: Type.String(),
  jobId: Type.String(),
  jobType: Type.Literal('publish'),
  progress: Type.Object({
    done: Type.Number(),
    total: Type.Union([Type.Number(), Type.Null()]),
    message: Type.String(),
  }),
  serviceItemId: Type.Optional(Type.String()),
  serviceurl: Type.Optional(Type.String()),
  errorCode: Type.Optional(Type.String()),
});
