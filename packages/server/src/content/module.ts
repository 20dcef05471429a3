import type { IdentityApi, UserContentPort } from '../identity/module.ts';
import { defineModule } from '../kernel/module.ts';
import type { PortalApi } from '../portal/module.ts';
import { GroupsOfUser, publishGroupsChanged } from './groups/groups-of-user.ts';
import type { ContentDeps } from './items.ts';
import * as contentMigration from './migration.ts';
import * as thumbnailsMigration from './migration-thumbnails.ts';
import { sweepOrphanFiles } from './orphan-files.ts';
import { registerContentRoutes } from './routes.ts';
import * as searchFtsMigration from './search/migration-fts.ts';
import { userContentPort } from './user-content-port.ts';

/** Items, folders, groups, sharing and search: the content half of the Sharing API. */
export interface ContentApi {
  /** What identity asks about a user's content (deleting a user, community/self's groups). */
  readonly userContent: UserContentPort;
}

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
  ],
  migrations: {
    '0005_content': contentMigration,
    '0010_item_thumbnails': thumbnailsMigration,
    '0015_search_fts': searchFtsMigration,
  },
  settings: [],
  async create(kernel, deps) {
    const content: ContentDeps = {
      db: kernel.db.kysely,
      home: kernel.config.home,
      orgId: () => deps.portal.orgId(),
      users: deps.identity,
      groupsOfUser: new GroupsOfUser(kernel, () => kernel.clock.now()),
      groupsChanged: () => publishGroupsChanged(kernel),
    };
    // Before the node serves: stored files that no item references (a crash between storing a
    // file and committing its item) are reported, and removed once past the grace period.
    const grace = kernel.config.uploads.orphanGraceHours;
    const swept = await sweepOrphanFiles(content.db, content.home, grace * 3_600_000);
    if (swept.removed)
      kernel.log.warn(
        { removed: swept.removed },
        `removed ${swept.removed} stored file(s) under files/ that no item references (older than ${grace} h)`,
      );
    if (swept.kept.length)
      kernel.log.warn(
        { files: swept.kept },
        `${swept.kept.length} stored file(s) under files/ are referenced by no item; they are removed at a start more than ${grace} h after they were written`,
      );
    return {
      api: { userContent: userContentPort(content) },
      routes: (app) => registerContentRoutes(app, content),
    };
  },
});
