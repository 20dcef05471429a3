export function formatDate(ms: number | undefined): string {
  if (!ms || !Number.isFinite(ms)) return '—';
  return new Date(ms).toLocaleString();
}

const ACCESS: Record<string, string> = {
  private: 'Private',
  shared: 'Shared with groups',
  org: 'Organization',
  public: 'Everyone (public)',
};

export function formatAccess(access: string | undefined): string {
  return access ? (ACCESS[access] ?? access) : '—';
}

export const ROLES = [
  { value: 'org_admin', label: 'Administrator' },
  { value: 'org_publisher', label: 'Publisher' },
  { value: 'org_user', label: 'User' },
] as const;

export function formatRole(role: string | undefined): string {
  return ROLES.find((r) => r.value === role)?.label ?? role ?? '—';
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

export const ITEM_TYPES = [
  'Web Map',
  'Feature Service',
  'Map Service',
  'Web Mapping Application',
  'PDF',
  'GeoJson',
  'CSV',
  'Shapefile',
  'Image',
  'Document Link',
] as const;
