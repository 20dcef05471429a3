import type { Db } from '../db/database.ts';

function parseTags(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** The groups a user belongs to, with their membership, for community/self and community/users/<u>. */
export async function groupsOfUser(db: Db, username: string) {
  const rows = await db.kysely
    .selectFrom('group_members as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select([
      'g.id',
      'g.title',
      'g.owner',
      'g.description',
      'g.snippet',
      'g.tags',
      'g.access',
      'g.is_invitation_only',
      'g.is_view_only',
      'g.sort_field',
      'g.sort_order',
      'g.created',
      'g.modified',
      'm.member_type',
    ])
    .where('m.username', '=', username)
    .orderBy('g.title')
    .execute();
  return rows.map((g) => ({
    id: g.id,
    title: g.title,
    isInvitationOnly: Number(g.is_invitation_only) !== 0,
    owner: g.owner,
    description: g.description,
    snippet: g.snippet,
    tags: parseTags(g.tags),
    phone: null,
    sortField: g.sort_field,
    sortOrder: g.sort_order,
    isViewOnly: Number(g.is_view_only) !== 0,
    thumbnail: null,
    created: Number(g.created),
    modified: Number(g.modified),
    access: g.access,
    userMembership: { username, memberType: g.member_type },
  }));
}
