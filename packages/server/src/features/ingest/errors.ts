import { defineError } from '../../kernel/errors/meridian-error.ts';

/** Errors of reading a data file to publish: the message names the feature or line and what is wrong. */

export const BadGeojson = defineError({
  code: 'features.bad_geojson',
  status: 400,
  summary: 'The GeoJSON file cannot be published: it is not a FeatureCollection, or a feature is malformed.',
  fix: 'Correct the feature named in the message (features count from 0) and publish the file again.',
});

export const BadCsv = defineError({
  code: 'features.bad_csv',
  status: 400,
  summary: 'The CSV file cannot be published: a line is malformed or a coordinate is not a number.',
  fix: 'Correct the line named in the message (the header is line 1) and publish the file again.',
});
