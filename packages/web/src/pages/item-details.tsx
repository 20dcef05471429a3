import type { ReactNode } from 'react';
import type { Item } from '../api/types.ts';
import { formatAccess, formatDate } from '../lib/format.ts';

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

function Field({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd data-testid={`item-${term.toLowerCase()}`}>{children}</dd>
    </div>
  );
}

function UrlValue({ url }: { url: string | null | undefined }) {
  if (!url) return '—';
  if (!isHttpUrl(url)) return url;
  return (
    <a href={url} rel="noopener noreferrer" target="_blank">
      {url}
    </a>
  );
}

/** All item fields, rendered as text (descriptions are never interpreted as HTML). */
export function ItemDetails({ item }: { item: Item }) {
  return (
    <section aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl className="details" data-testid="item-details">
        <Field term="Title">{item.title}</Field>
        <Field term="Type">{item.type}</Field>
        <Field term="Owner">{item.owner}</Field>
        <Field term="Tags">{item.tags?.length ? item.tags.join(', ') : '—'}</Field>
        <Field term="Access">{formatAccess(item.access)}</Field>
        <Field term="Summary">{item.snippet || '—'}</Field>
        <Field term="URL">
          <UrlValue url={item.url} />
        </Field>
        <Field term="Created">{formatDate(item.created)}</Field>
        <Field term="Modified">{formatDate(item.modified)}</Field>
        <Field term="ID">{item.id}</Field>
      </dl>
      <h2>Description</h2>
      <div className="description" data-testid="item-description">
        {item.description || <span className="muted">No description.</span>}
      </div>
    </section>
  );
}
