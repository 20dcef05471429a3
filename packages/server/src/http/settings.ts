import type { SettingDef } from '../kernel/config/setting-def.ts';

/** Request bodies and uploads (every role that serves HTTP). */
export const httpSettings: readonly SettingDef[] = [
  {
    key: 'body.maxBytes',
    env: 'MERIDIAN_BODY_MAX_BYTES',
    type: 'integer',
    min: 1024,
    default: 2 * 1024 * 1024,
    description: 'Largest non-file request body (JSON or form), in bytes.',
  },
  {
    key: 'uploads.maxBytes',
    env: 'MERIDIAN_UPLOAD_MAX_BYTES',
    type: 'integer',
    min: 1024,
    default: 100 * 1024 * 1024,
    description: 'Largest file accepted by addItem/update (multipart upload), in bytes.',
  },
  {
    key: 'uploads.preAuthMaxBytes',
    env: 'MERIDIAN_UPLOAD_PRE_AUTH_MAX_BYTES',
    type: 'integer',
    min: 0,
    default: 16 * 1024 * 1024,
    description:
      'Files that arrive before the request’s token (arcgis-rest-js sends the token after the file) are held in memory, never written to disk, until the token verifies; this is the most one request may hold. A larger file must come after the token (or with an Authorization header).',
  },
  {
    key: 'uploads.preAuthTotalBytes',
    env: 'MERIDIAN_UPLOAD_PRE_AUTH_TOTAL_BYTES',
    type: 'integer',
    min: 0,
    default: 128 * 1024 * 1024,
    description:
      'The most memory all requests of a process together may hold for files whose caller is not known yet; beyond it such uploads are refused with request.busy.',
  },
  {
    key: 'uploads.orphanGraceHours',
    env: 'MERIDIAN_UPLOAD_ORPHAN_GRACE_HOURS',
    type: 'integer',
    min: 1,
    default: 24,
    description:
      'At start and hourly, stored files that no item references (a process stopped between storing a file and committing its item) are removed once they are older than this many hours; at start, younger ones are reported.',
  },
];

declare module '../kernel/config/config.ts' {
  interface Config {
    body: { maxBytes: number };
    uploads: {
      maxBytes: number;
      preAuthMaxBytes: number;
      preAuthTotalBytes: number;
      orphanGraceHours: number;
    };
  }
}
