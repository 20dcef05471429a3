import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { InvalidSearch } from '../errors.ts';

export interface SortKey {
  column: 'title_sort' | 'created' | 'modified' | 'type' | 'owner' | 'num_views' | 'size';
  direction: 'asc' | 'desc';
}

const COLUMNS: Record<string, SortKey['column'] | null> = {
  title: 'title_sort',
  created: 'created',
  modified: 'modified',
  type: 'type',
  owner: 'owner',
  numviews: 'num_views',
  size: 'size',
  // Ratings and comments do not exist here: accepted and ignored.
  avgrating: null,
  numratings: null,
  numcomments: null,
};

/**
 * sortField (comma list) and sortOrder (comma list, or one for all). Without sortField the
 * most recently modified come first.
 */
export function parseSort(sortField: string | undefined, sortOrder: string | undefined): SortKey[] {
  const orders = (sortOrder ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const o of orders)
    if (o !== 'asc' && o !== 'desc')
      throw new MeridianError(InvalidSearch, `Invalid sortOrder '${o.slice(0, 20)}': use asc or desc.`);
  const fields = (sortField ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (fields.length > 3) throw new MeridianError(InvalidSearch, 'Invalid sortField: at most 3 fields.');
  const keys: SortKey[] = [];
  fields.forEach((f, i) => {
    if (!(f in COLUMNS))
      throw new MeridianError(
        InvalidSearch,
        `Invalid sortField '${f.slice(0, 30)}': use one of ${Object.keys(COLUMNS).join(', ')}.`,
      );
    const column = COLUMNS[f];
    const direction = (orders[i] ?? orders[0] ?? 'asc') as SortKey['direction'];
    if (column) keys.push({ column, direction });
  });
  if (!keys.length)
    keys.push({ column: 'modified', direction: (orders[0] as SortKey['direction']) ?? 'desc' });
  return keys;
}
