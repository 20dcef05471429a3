import { searchItems } from '../api/search.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ItemTable } from '../components/item-table.tsx';
import { Loading } from '../components/loading.tsx';
import { Pager } from '../components/pager.tsx';
import { useAsync } from '../lib/use-async.ts';
import { href, navigate, useLocation } from '../router/router.ts';

const PAGE_SIZE = 20;

export function SearchPage() {
  const { params } = useLocation();
  const q = params.get('q') ?? '';
  const start = Math.max(1, Number.parseInt(params.get('start') ?? '1', 10) || 1);
  const results = useAsync(() => (q ? searchItems(q, start, PAGE_SIZE) : Promise.resolve(null)), [q, start]);
  const data = results.data;

  return (
    <main>
      <h1>Search</h1>
      <p className="muted" data-testid="search-summary">
        {q ? `Results for "${q}"` : 'Type words in the search box to find items.'}
        {data ? ` — ${data.total} found` : ''}
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
            onPage={(s) => navigate(href('search.html', { q, start: s }))}
          />
        </>
      )}
    </main>
  );
}
