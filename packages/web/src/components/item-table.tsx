import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Item } from '../api/types.ts';
import { formatAccess, formatDate } from '../lib/format.ts';
import { pagePath } from '../router/paths.ts';
import { OriginBadge } from './origin-badge.tsx';

interface ItemTableProps {
  items: Item[];
  caption: string;
  empty?: string;
  /** Extra cell per row, e.g. a Share button. */
  actions?: (item: Item) => ReactNode;
}

export function ItemTable({ items, caption, empty = 'No items.', actions }: ItemTableProps) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="table cards-when-narrow" data-testid="item-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Title</th>
          <th scope="col">Type</th>
          <th scope="col">Owner</th>
          <th scope="col">Access</th>
          <th scope="col">Modified</th>
          {actions && <th scope="col">Actions</th>}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id} data-testid={`item-row-${item.id}`}>
            <td data-label="Title" className="wrap">
              <Link to={pagePath('item.html', { id: item.id })}>{item.title || item.id}</Link>{' '}
              <OriginBadge item={item} />
            </td>
            <td data-label="Type">{item.type}</td>
            <td data-label="Owner">{item.owner}</td>
            <td data-label="Access">{formatAccess(item.access)}</td>
            <td data-label="Modified">{formatDate(item.modified)}</td>
            {actions && <td data-label="Actions">{actions(item)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
