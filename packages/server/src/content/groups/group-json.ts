import type { GroupRow, MemberType } from './group-access.ts';

function tags(text: string): string[] {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** A group in the ArcGIS group JSON shape. */
export function groupJson(
  row: GroupRow,
  orgId: string,
  viewer: { username: string | null },
  membership: MemberType,
): Record<string, unknown> {
  return {
    id: row.id,
    title: row.title,
    isInvitationOnly: row.is_invitation_only === 1,
    owner: row.owner,
    description: row.description,
    snippet: row.snippet,
    tags: tags(row.tags),
    typeKeywords: [],
    phone: null,
    sortField: row.sort_field,
    sortOrder: row.sort_order,
    isViewOnly: row.is_view_only === 1,
    isOpenData: false,
    featuredItemsId: null,
    thumbnail: null,
    created: row.created,
    modified: row.modified,
    access: row.access,
    capabilities: [],
    isFav: false,
    isReadOnly: false,
    protected: false,
    autoJoin: false,
    notificationsEnabled: false,
    provider: null,
    providerGroupName: null,
    leavingDisallowed: false,
    hiddenMembers: false,
    displaySettings: { itemTypes: '' },
    orgId,
    ...(viewer.username
      ? { userMembership: { username: viewer.username, memberType: membership, applications: 0 } }
      : {}),
  };
}
