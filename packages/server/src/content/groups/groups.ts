import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { InvalidItemField, NotPermitted } from '../errors.ts';
import { newId } from '../ids.ts';
import { recordItemChanges } from '../item-changes.ts';
import { parseStringList } from '../item-input.ts';
import type { ContentDeps } from '../items.ts';
import { refreshSharedAccess } from '../share-access.ts';
import type { Viewer } from '../viewer.ts';
import { type GroupRow, loadManagedGroup, loadVisibleGroup } from './group-access.ts';
import { groupJson } from './group-json.ts';

export interface GroupArgs {
  title?: string;
  tags?: string;
  description?: string;
  snippet?: string;
  access?: string;
  isInvitationOnly?: boolean;
  isViewOnly?: boolean;
  sortField?: string;
  sortOrder?: string;
  clearEmptyFields?: boolean;
}

const SORT_FIELDS = ['title', 'owner', 'avgrating', 'numviews', 'created', 'modified'];

function bad(message: string): never {
  throw new MeridianError(InvalidItemField, message);
}

function readGroupInput(args: GroupArgs, mode: 'create' | 'update'): Partial<GroupRow> {
  const out: Partial<GroupRow> = {};
  const clear = mode === 'create' || args.clearEmptyFields === true;
  if (args.title !== undefined && args.title.trim() !== '') {
    if (args.title.trim().length > 256) bad(`'title' is longer than 256 characters.`);
    out.title = args.title.trim();
  } else if (mode === 'create') bad(`Missing required parameter 'title'.`);
  const text = (v: string | undefined, max: number, name: string, set: (s: string) => void) => {
    if (v === undefined || (v === '' && !clear)) return;
    if (v.length > max) bad(`'${name}' is longer than ${max} characters.`);
    set(v);
  };
  text(args.description, 64 * 1024, 'description', (v) => {
    out.description = v;
  });
  text(args.snippet, 250, 'snippet', (v) => {
    out.snippet = v;
  });
  text(args.tags, 64 * 1024, 'tags', (v) => {
    out.tags = JSON.stringify(parseStringList('tags', v));
  });
  if (args.access !== undefined && args.access !== '') {
    const a = args.access.toLowerCase() === 'account' ? 'org' : args.access.toLowerCase();
    if (a !== 'private' && a !== 'org' && a !== 'public') bad(`'access' must be private, org or public.`);
    out.access = a;
  }
  if (args.isInvitationOnly !== undefined) out.is_invitation_only = args.isInvitationOnly ? 1 : 0;
  if (args.isViewOnly !== undefined) out.is_view_only = args.isViewOnly ? 1 : 0;
  if (args.sortField !== undefined && args.sortField !== '') {
    if (!SORT_FIELDS.includes(args.sortField)) bad(`'sortField' must be one of ${SORT_FIELDS.join(', ')}.`);
    out.sort_field = args.sortField;
  }
  if (args.sortOrder !== undefined && args.sortOrder !== '') {
    if (args.sortOrder !== 'asc' && args.sortOrder !== 'desc') bad(`'sortOrder' must be asc or desc.`);
    out.sort_order = args.sortOrder;
  }
  return out;
}

/** community/createGroup: the caller owns the new group. */
export async function createGroup(
  deps: ContentDeps,
  viewer: Viewer,
  args: GroupArgs,
): Promise<{ success: true; group: Record<string, unknown> }> {
  if (!viewer.username) throw new MeridianError(NotPermitted, 'Sign in to create a group.');
  const input = readGroupInput(args, 'create');
  const now = Date.now();
  const row: GroupRow = {
    id: newId(),
    title: '',
    owner: viewer.username,
    description: '',
    snippet: '',
    tags: '[]',
    access: 'private',
    is_invitation_only: 0,
    is_view_only: 0,
    sort_field: 'title',
    sort_order: 'asc',
    created: now,
    modified: now,
    ...input,
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('groups').values(row).execute();
    await trx
      .insertInto('group_members')
      .values({ group_id: row.id, username: viewer.username!, member_type: 'owner', joined: now })
      .execute();
  });
  await deps.groupsChanged();
  return { success: true, group: groupJson(row, await deps.orgId(), viewer, 'owner') };
}

/** community/groups/<id> */
export async function getGroup(
  deps: ContentDeps,
  viewer: Viewer,
  id: string,
): Promise<Record<string, unknown>> {
  const { group, membership } = await loadVisibleGroup(deps.db, viewer, id);
  return groupJson(group, await deps.orgId(), viewer, membership);
}

/** community/groups/<id>/update */
export async function updateGroup(
  deps: ContentDeps,
  viewer: Viewer,
  id: string,
  args: GroupArgs,
): Promise<{ success: true; groupId: string }> {
  await loadManagedGroup(deps.db, viewer, id);
  const changes = readGroupInput(args, 'update');
  await deps.db
    .updateTable('groups')
    .set({ ...changes, modified: Date.now() })
    .where('id', '=', id)
    .execute();
  await deps.groupsChanged();
  return { success: true, groupId: id };
}

/** community/groups/<id>/delete: its owner or an organisation administrator. */
export async function deleteGroup(
  deps: ContentDeps,
  viewer: Viewer,
  id: string,
): Promise<{ success: true; groupId: string }> {
  const { membership } = await loadManagedGroup(deps.db, viewer, id);
  if (!viewer.isAdmin && membership !== 'owner')
    throw new MeridianError(
      NotPermitted,
      `Only the owner of group '${id}' or an organisation administrator may delete it.`,
    );
  await deleteGroupRows(deps.db, id);
  await deps.groupsChanged();
  return { success: true, groupId: id };
}

export async function deleteGroupRows(db: Kysely<Database>, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const shared = await trx.selectFrom('item_shares').select('item_id').where('group_id', '=', id).execute();
    await recordItemChanges(
      trx,
      shared.map((s) => s.item_id),
      'unshared',
      [id],
    );
    await trx.deleteFrom('item_shares').where('group_id', '=', id).execute();
    await trx.deleteFrom('group_members').where('group_id', '=', id).execute();
    await trx.deleteFrom('groups').where('id', '=', id).execute();
    await refreshSharedAccess(
      trx,
      shared.map((s) => s.item_id),
    );
  });
}
