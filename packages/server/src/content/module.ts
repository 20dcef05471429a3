import { join } from 'node:path';
import type { IdentityApi, UserContentPort } from '../identity/module.ts';
import { defineModule } from '../kernel/module.ts';
import type { PortalApi } from '../portal/module.ts';
import { claimFileStore } from './file-store.ts';
import { GroupsOfUser, publishGroupsChanged } from './groups/groups-of-user.ts';
import { addUserToGroups } from './groups/members.ts';
import { compactItemChanges, UNWATCHED_KEEP_MS } from './item-changes.ts';
import { type ItemDeleteHook, type ItemPort, type ItemSummary, itemPort } from './item-port.ts';
import type { ContentDeps } from './items.ts';
import * as contentMigration from './migration.ts';
import * as fileStoreMigration from './migration-file-store.ts';
import * as itemChangesMigration from './migration-item-changes.ts';
import * as itemChangesByItemMigration from './migration-item-changes-by-item.ts';
import * as thumbnailsMigration from './migration-thumbnails.ts';
import { type OrphanReport, sweepOrphanFiles } from './orphan-files.ts';
import { type GroupPort, type GroupSummary, groupPort } from './port-groups.ts';
import {
  type ItemChange,
  type ItemChangePort,
  itemChangePort,
  publishItemChanges,
} from './port-item-changes.ts';
import { type SyncedItemsPort, syncedItemsPort } from './port-synced-items.ts';
import { registerContentRoutes } from './routes.ts';
import * as searchFtsMigration from './search/migration-fts.ts';
import { contentSettings } from './settings.ts';
import { userContentPort } from './user-content-port.ts';
import type { Viewer } from './viewer.ts';

/** Items, folders, groups, sharing and search: the content half of the Sharing API. */
export interface ContentApi {
  /** What identity asks about a user's content (deleting a user, community/self's groups). */
  readonly userContent: UserContentPort;
  /** What other modules may read of and do to items (oauth: registered apps), and item deletion hooks. */
  readonly items: ItemPort;
  /** What other modules may read of groups (collaboration: the group a workspace links). */
  readonly groups: GroupPort;
  /** The item change log of watched groups (collaboration sync reads it with a cursor). */
  readonly changes: ItemChangePort;
  /** Items as collaboration sends and receives them (read, create in a group, update). */
  readonly synced: SyncedItemsPort;
  /**
   * Adds a user to groups as the portal itself (no caller; the groups a SAML login gives new
   * accounts): groups that no longer exist are skipped and answered in missing.
   */
  addUserToGroups(
    username: string,
    groupIds: readonly string[],
  ): Promise<{ added: string[]; missing: string[] }>;
  /**
   * Removes the stored files no item references that are older than uploads.orphanGraceHours
   * (a process killed between storing a file and committing its item leaves one); the module
   * does it at start and hourly.
   */
  sweepOrphanFiles(): Promise<OrphanReport>;
}

export type { ItemDescription, ItemSource } from './port-item-source.ts';
export type { ReceivedData, SyncedItemsPort, SyncItem, SyncItemFields } from './port-synced-items.ts';
export type {
  GroupPort,
  GroupSummary,
  ItemChange,
  ItemChangePort,
  ItemDeleteHook,
  ItemPort,
  ItemSummary,
  Viewer,
};

/** How often the item change log is compacted and unreferenced stored files are swept. */
const MAINTENANCE_EVERY_MS = 3_600_000;

export const contentModule = defineModule<
  ContentApi,
  { identity: Pick<IdentityApi, 'canonicalUsername'>; portal: PortalApi }
>({
  name: 'content',
  tables: [
    'folders',
    'items',
    'groups',
    'group_members',
    'item_shares',
    'search_docs',
    'search_fts_open',
    'search_fts_closed',
    'search_extents',
    'content_file_store',
    'content_item_changes',
    'content_change_watches',
  ],
  migrations: {
    '0005_content': contentMigration,
    '0010_item_thumbnails': thumbnailsMigration,
    '0015_search_fts': searchFtsMigration,
    '0017_content_file_store': fileStoreMigration,
    '0033_content_item_changes': itemChangesMigration,
    '0036_content_item_changes_by_item': itemChangesByItemMigration,
  },
  settings: contentSettings,
  async create(kernel, deps) {
    const itemDeleteHooks: ItemDeleteHook[] = [];
    const stopping = new AbortController();
    const stops: (() => void)[] = [];
    const content: ContentDeps = {
      db: kernel.db.kysely,
      filesDir: kernel.config.content.filesDir || join(kernel.config.home, 'files'),
      orgId: () => deps.portal.orgId(),
      users: deps.identity,
      groupsOfUser: new GroupsOfUser(kernel, () => kernel.clock.now()),
      groupsChanged: () => publishGroupsChanged(kernel),
      itemDeleteHooks,
      itemsChanged: () =>
        void publishItemChanges(kernel).catch((err) =>
          kernel.log.warn({ err }, 'announcing item changes failed'),
        ),
    };
    // Before the node serves: its files directory must be the portal's file store, and stored files that no item references (a crash between storing a
    // file and committing its item) are reported, and removed once past the grace period.
    const grace = kernel.config.uploads.orphanGraceHours;
    const sweepOrphans = () => sweepOrphanFiles(content.db, content.filesDir, grace * 3_600_000);
    await claimFileStore(content.db, content.filesDir, kernel.clock.now());
    const swept = await sweepOrphans();
    if (swept.removed)
      kernel.log.warn(
        { removed: swept.removed },
        `removed ${swept.removed} stored file(s) in the files directory that no item references (older than ${grace} h)`,
      );
    if (swept.kept.length)
      kernel.log.warn(
        { files: swept.kept },
        `${swept.kept.length} stored file(s) in the files directory are referenced by no item; they are removed at a start more than ${grace} h after they were written`,
      );
    return {
      api: {
        userContent: userContentPort(content),
        items: itemPort(itemDeleteHooks, content.filesDir),
        groups: groupPort(content.db),
        changes: itemChangePort(kernel),
        synced: syncedItemsPort(content.filesDir),
        addUserToGroups: (username, groupIds) => addUserToGroups(content, username, groupIds),
        sweepOrphanFiles: sweepOrphans,
      },
      routes: (app) => registerContentRoutes(app, content),
      start() {
        // At start and then hourly (any node may: both are idempotent): the change log's
        // superseded entries go, and those of groups nobody watches any more past their
        // retention, and so do stored files no item references past the grace period.
        const compact = () =>
          void compactItemChanges(content.db, {
            signal: stopping.signal,
            unwatchedBefore: kernel.clock.now() - UNWATCHED_KEEP_MS,
          })
            .then((n) => {
              if (n) kernel.log.info({ removed: n }, 'compacted the item change log');
            })
            .catch((err) => kernel.log.warn({ err }, 'compacting the item change log failed'));
        const sweep = () =>
          void sweepOrphans()
            .then((r) => {
              if (r.removed)
                kernel.log.warn(
                  { removed: r.removed },
                  `removed ${r.removed} stored file(s) that no item references (older than ${grace} h)`,
                );
            })
            .catch((err) => kernel.log.warn({ err }, 'sweeping unreferenced stored files failed'));
        const timer = setInterval(() => {
          compact();
          sweep();
        }, MAINTENANCE_EVERY_MS);
        timer.unref();
        stops.push(() => clearInterval(timer));
        compact();
      },
      stop() {
        stopping.abort();
        for (const stop of stops.splice(0)) stop();
      },
    };
  },
});
