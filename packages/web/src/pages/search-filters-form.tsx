import { type FormEvent, useState } from 'react';
import type { SearchFilters } from '../api/search.ts';
import { Field } from '../components/field.tsx';
import { ITEM_TYPES } from '../lib/format.ts';

export interface SearchState extends SearchFilters {
  /** A sortField of the search API, or '' for relevance. */
  sort: string;
  order: 'asc' | 'desc';
}

const SORTS = [
  { value: '', label: 'Relevance' },
  { value: 'title', label: 'Title' },
  { value: 'modified', label: 'Date modified' },
  { value: 'created', label: 'Date created' },
  { value: 'type', label: 'Type' },
  { value: 'owner', label: 'Owner' },
  { value: 'size', label: 'Size' },
] as const;

interface SearchFiltersFormProps {
  initial: SearchState;
  onSearch(state: SearchState): void;
}

/** Words, type, owner and tag filters, and the sort order of the results. */
export function SearchFiltersForm({ initial, onSearch }: SearchFiltersFormProps) {
  const [state, setState] = useState<SearchState>(initial);

  function set<K extends keyof SearchState>(key: K, value: SearchState[K]) {
    setState((s) => ({ ...s, [key]: value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(state);
  }

  const types: readonly string[] =
    ITEM_TYPES.includes(state.type as (typeof ITEM_TYPES)[number]) || !state.type
      ? ITEM_TYPES
      : [...ITEM_TYPES, state.type];

  return (
    <form className="filters" onSubmit={submit} aria-label="Search filters" data-testid="search-filters">
      <Field label="Words">
        {(id) => <input id={id} value={state.text} onChange={(e) => set('text', e.target.value)} />}
      </Field>
      <Field label="Type">
        {(id) => (
          <select id={id} value={state.type} onChange={(e) => set('type', e.target.value)}>
            <option value="">Any type</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Owner">
        {(id) => (
          <input
            id={id}
            placeholder="username"
            value={state.owner}
            onChange={(e) => set('owner', e.target.value)}
          />
        )}
      </Field>
      <Field label="Tag">
        {(id) => <input id={id} value={state.tag} onChange={(e) => set('tag', e.target.value)} />}
      </Field>
      <Field label="Sort by">
        {(id) => (
          <select id={id} value={state.sort} onChange={(e) => set('sort', e.target.value)}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Order">
        {(id) => (
          <select
            id={id}
            value={state.order}
            disabled={!state.sort}
            onChange={(e) => set('order', e.target.value === 'desc' ? 'desc' : 'asc')}
          >
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="submit">Apply filters</button>
      </div>
    </form>
  );
}
