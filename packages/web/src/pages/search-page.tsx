import { useNavigate, useSearchParams } from 'react-router';
import { buildQuery, searchItems } from '../api/search.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ItemTable } from '../components/item-table.tsx';
import { Loading } from '../components/loading.tsx';
import { Pager } from '../components/pager.tsx';
import { useAsync } from '../lib/use-async.ts';
import { pagePath } from '../router/paths.ts';
import { SearchFiltersForm, type SearchState } from './search-filters-form.tsx';

const PAGE_SIZE = 20;

/** The page's state lives in the address: search.html?q=&type=&owner=&tag=&sort=&order=&start=. */
function readState(params: URLSearchParams): SearchState {
  return {
    text: params.get('q') ?? '',
    type: params.get('type') ?? '',
    owner: params.get('owner') ?? '',
    tag: params.get('tag') ?? '',
    sort: params.get('sort') ?? '',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
  };
}

function searchPath(s: SearchState, start?: number): string {
  return pagePath('search.html', {
    q: s.text.trim(),
    type: s.type,
    owner: s.owner.trim(),
    tag: s.tag.trim(),
    sort: s.sort,
    order: s.sort ? s.order : undefined,
    start: start && start > 1 ? start : undefined,
  });
}

export function SearchPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const state = readState(params);
  const q = buildQuery(state);
  const start = Math.max(1, Number.parseInt(params.get('start') ?? '1', 10) || 1);
  const sort = state.sort ? { field: state.sort, order: state.order } : undefined;
  const results = useAsync(
    () => (q ? searchItems(q, start, PAGE_SIZE, sort) : Promise.resolve(null)),
    [q, start, state.sort, state.order],
  );
  const data = results.data;

  return (
    <main>
      <h1>Search</h1>
      <SearchFiltersForm key={params.toString()} initial={state} onSearch={(s) => navigate(searchPath(s))} />
      <p className="muted" data-testid="search-summary">
        {q ? `Results for ${q}` : 'Type words in the search box, or choose a type, an owner or a tag.'}
        {data && q ? ` — ${data.total} found` : ''}
      </p>
      <ErrorAlert error={results.error} />
      {results.loading && <Loading />}
      {data && (
        <>
          <ItemTable caption="Search results" items={data.results} empty="Nothing matched your search." />
          <Pager
            start={data.start}
            num={data.num || PAGE_SIZE}
            total={data.total}
            nextStart={data.nextStart}
            onPage={(s) => navigate(searchPath(state, s))}
          />
        </>
      )}
    </main>
  );
}
