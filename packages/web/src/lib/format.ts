export function formatDate(ms: number | undefined): string {
  if (!ms || !Number.isFinite(ms)) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
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

/** 1536 → "1.5 KB" (binary units, as file managers show them), with the exact byte count kept for 0–1023. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export const SHARING_LEVELS = [
  { value: 'private', label: 'Only me (private)' },
  { value: 'org', label: 'My organization' },
  { value: 'public', label: 'Everyone (public)' },
] as const;

export function formatTags(tags: string[] | undefined): string {
  return (tags ?? []).join(', ');
}
