import { isAbsolute } from 'node:path';
import type { SettingDef } from '../kernel/config/setting-def.ts';

/** Where item files live. */
export const contentSettings: readonly SettingDef[] = [
  {
    key: 'content.filesDir',
    env: 'MERIDIAN_FILES_DIR',
    type: 'string',
    default: '',
    description:
      'The directory item files and thumbnails are stored in (empty: <home>/files). Several nodes of one database must all use one shared directory (a network share); a node whose directory is not the portal’s file store is refused at start (content.files_not_shared).',
    check: (value) => (value === '' || isAbsolute(value) ? undefined : 'must be an absolute path'),
  },
];

declare module '../kernel/config/config.ts' {
  interface Config {
    content: { filesDir: string };
  }
}
