import type { Migration } from 'kysely';
import * as content from '../../../content/migration.ts';
import * as contentThumbnails from '../../../content/migration-thumbnails.ts';
import * as identity from '../../../identity/migration.ts';
import * as identityThrottle from '../../../identity/migration-throttle.ts';
import * as pki from '../../../pki/migration.ts';
import * as pkiTrust from '../../../pki/migration-trust.ts';
import * as tls from '../../../tls/migration.ts';
import * as tokens from '../../../tokens/migration.ts';
import * as tokenSessions from '../../../tokens/migration-sessions.ts';
import * as notify from '../../bus/migration.ts';
import * as core from './0001-core.ts';

/**
 * Every migration, in the order it is applied. A domain folder owns its tables and its
 * migration files; new migrations get the next number and are never edited once released.
 */
export const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_pki': pki,
  '0003_identity': identity,
  '0004_tokens': tokens,
  '0005_content': content,
  '0007_tls': tls,
  '0008_trust_store': pkiTrust,
  '0009_bus_events': notify,
  '0010_item_thumbnails': contentThumbnails,
  '0011_sign_in_throttle': identityThrottle,
  '0012_web_sessions': tokenSessions,
};
