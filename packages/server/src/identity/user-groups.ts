import type { Kysely } from 'kysely';
import type { Db } from '../kernel/db/database.ts';
import { prepared } from '../kernel/db/prepared.ts';

function parseTags(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

interface GroupRow {
  id: string;
  title: string;
  owner: string;
  description: string;
  snippet: string;
  tags: string;
  access: string;
  is_invitation_only: number;
  is_view_only: number;
  sort_field: string;
  sort_order: string;
  created: number;
  modified: number;
  member_type: string;
}

const groupsOfUserQuery = prepared<GroupRow>(
  `SELECT g.id, g.title, g.owner, g.description, g.snippet, g.tags, g.access, g.is_invitation_only,
          g.is_view_only, g.sort_field, g.sort_order, g.created, g.modified, m.member_type
     FROM group_members m INNER JOIN groups g ON g.id = m.group_id
    WHERE m.username = ? ORDER BY g.title`,
);

/** The groups a user belongs to, with their membership, for community/self and community/users/<u>. */
export async function groupsOfUser(db: Db, username: string) {
  const rows = await groupsOfUserQuery(db.kysely as unknown as Kysely<unknown>, [username]);
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
