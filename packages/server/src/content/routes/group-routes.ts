import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import { createGroup, deleteGroup, getGroup, updateGroup } from '../groups/groups.ts';
import { addGroupUsers, groupUsers, removeGroupUsers } from '../groups/members.ts';
import { searchGroups } from '../groups/search-groups.ts';
import type { ContentDeps } from '../items.ts';
import {
  AddUsersAnswer,
  CreateGroupAnswer,
  GroupIdAnswer,
  GroupJson,
  GroupSearchJson,
  GroupUsersJson,
  RemoveUsersAnswer,
} from '../schemas.ts';
import { viewerOf } from '../viewer.ts';
import { GROUP_PARAMS, IGNORED_GROUP_PARAMS, PAGING_PARAMS } from './params.ts';

const BASE = '/sharing/rest/community';
const TAGS = ['groups'];
type IdParams = { groupId: string };

/** community/createGroup, community/groups[/<id>[/update|delete|addUsers|removeUsers|users]] */
export function registerGroupRoutes(app: FastifyInstance, deps: ContentDeps): void {
  route(app, {
    method: 'POST',
    url: `${BASE}/createGroup`,
    summary: 'Create a group owned by the caller.',
    tags: TAGS,
    auth: 'user',
    params: Type.Object({
      ...GROUP_PARAMS,
      ...IGNORED_GROUP_PARAMS,
      title: Type.String({ description: 'Group title.' }),
    }),
    response: CreateGroupAnswer,
    handler: (req, args) => createGroup(deps, viewerOf(req.caller), args),
  });
  route(app, {
    method: ['GET', 'POST'],
    url: `${BASE}/groups`,
    summary: 'Search the groups the caller may see.',
    tags: TAGS,
    auth: 'public',
    params: Type.Object({
      q: Type.Optional(Type.String({ description: 'Query (same syntax as item search).' })),
      sortField: Type.Optional(Type.String()),
      sortOrder: Type.Optional(Type.String()),
      ...PAGING_PARAMS,
      searchUserAccess: Type.Optional(Type.String({ description: 'Accepted and ignored.' })),
      searchUserName: Type.Optional(Type.String({ description: 'Accepted and ignored.' })),
      filter: Type.Optional(Type.String({ description: 'Accepted and ignored.' })),
    }),
    response: GroupSearchJson,
    handler: (req, args) => searchGroups(deps, viewerOf(req.caller), args),
  });
  route(app, {
    method: ['GET', 'POST'],
    url: `${BASE}/groups/:groupId`,
    summary: 'A group, if the caller may see it.',
    tags: TAGS,
    auth: 'public',
    response: GroupJson,
    handler: (req) => getGroup(deps, viewerOf(req.caller), (req.params as IdParams).groupId),
  });
  route(app, {
    method: 'POST',
    url: `${BASE}/groups/:groupId/update`,
    summary: 'Update a group (its owner, its administrators, or an organisation administrator).',
    tags: TAGS,
    auth: 'user',
    params: Type.Object({
      ...GROUP_PARAMS,
      ...IGNORED_GROUP_PARAMS,
      clearEmptyFields: Type.Optional(Type.Boolean()),
    }),
    response: GroupIdAnswer,
    handler: (req, args) => updateGroup(deps, viewerOf(req.caller), (req.params as IdParams).groupId, args),
  });
  route(app, {
    method: 'POST',
    url: `${BASE}/groups/:groupId/delete`,
    summary:
      'Delete a group (its owner or an organisation administrator); items shared only with it become private.',
    tags: TAGS,
    auth: 'user',
    response: GroupIdAnswer,
    handler: (req) => deleteGroup(deps, viewerOf(req.caller), (req.params as IdParams).groupId),
  });
  route(app, {
    method: 'POST',
    url: `${BASE}/groups/:groupId/addUsers`,
    summary: 'Add users (and administrators) to a group; unknown users come back in notAdded.',
    tags: TAGS,
    auth: 'user',
    params: Type.Object({
      users: Type.Optional(Type.String({ description: 'Comma list of usernames to add as members.' })),
      admins: Type.Optional(
        Type.String({ description: 'Comma list of usernames to add as group administrators.' }),
      ),
    }),
    response: AddUsersAnswer,
    handler: (req, args) => addGroupUsers(deps, viewerOf(req.caller), (req.params as IdParams).groupId, args),
  });
  route(app, {
    method: 'POST',
    url: `${BASE}/groups/:groupId/removeUsers`,
    summary: 'Remove users from a group; the owner and non-members come back in notRemoved.',
    tags: TAGS,
    auth: 'user',
    params: Type.Object({ users: Type.Optional(Type.String({ description: 'Comma list of usernames.' })) }),
    response: RemoveUsersAnswer,
    handler: (req, args) =>
      removeGroupUsers(deps, viewerOf(req.caller), (req.params as IdParams).groupId, args.users),
  });
  route(app, {
    method: ['GET', 'POST'],
    url: `${BASE}/groups/:groupId/users`,
    summary: 'A group’s owner, administrators and members (for members and organisation administrators).',
    tags: TAGS,
    auth: 'user',
    response: GroupUsersJson,
    handler: (req) => groupUsers(deps, viewerOf(req.caller), (req.params as IdParams).groupId),
  });
}
