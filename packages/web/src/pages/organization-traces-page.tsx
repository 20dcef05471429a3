import { useNavigate, useSearchParams } from 'react-router';
import { listTraces, TRACE_OUTCOMES } from '../api/traces.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { Pager } from '../components/pager.tsx';
import { useAsync } from '../lib/use-async.ts';
import { pagePath } from '../router/paths.ts';
import { OrganizationLayout } from './organization-layout.tsx';
import { ORGANIZATION_PAGES } from './security-routes.ts';
import { type TraceFilterState, TraceFiltersForm } from './trace-filters-form.tsx';
import { TraceRow } from './trace-row.tsx';

const PAGE_SIZE = 20;

/** Organization › Traces: each run of a step pipeline (TLS diagnoses, sign-ins), newest first. */
export function OrganizationTracesPage() {
  return (
    <OrganizationLayout title="Traces" section="traces">
      <TracesBody />
    </OrganizationLayout>
  );
}

function tracesPath(filters: TraceFilterState, start?: number): string {
  return pagePath(ORGANIZATION_PAGES.traces, {
    pipeline: filters.pipeline,
    outcome: filters.outcome,
    start: start && start > 1 ? start : undefined,
  });
}

function TracesBody() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const filters: TraceFilterState = {
    pipeline: params.get('pipeline') ?? '',
    outcome: TRACE_OUTCOMES.find((o) => o === params.get('outcome')) ?? '',
  };
  const start = Math.max(1, Number.parseInt(params.get('start') ?? '1', 10) || 1);
  const traces = useAsync(
    () =>
      listTraces({
        pipeline: filters.pipeline || undefined,
        outcome: filters.outcome || undefined,
        start,
        num: PAGE_SIZE,
      }),
    [filters.pipeline, filters.outcome, start],
  );
  const data = traces.data;
  const pipelines = [...new Set(data?.traces.map((t) => t.pipeline) ?? [])].sort();

  return (
    <section aria-labelledby="traces-heading">
      <h2 id="traces-heading">Traces</h2>
      <p className="hint">
        What each run of a protocol handler did, step by step: which step failed, and why. Open a run's steps
        for the details.
      </p>
      <TraceFiltersForm
        key={`${filters.pipeline}|${filters.outcome}`}
        initial={filters}
        pipelines={pipelines}
        onApply={(f) => navigate(tracesPath(f))}
      />
      <ErrorAlert error={traces.error} />
      {traces.loading && !data && <Loading />}
      {data && data.traces.length === 0 && (
        <p className="muted" data-testid="no-traces">
          No traces{filters.pipeline || filters.outcome ? ' match these filters' : ' yet'}.
        </p>
      )}
      {data && data.traces.length > 0 && (
        <>
          <table className="table cards-when-narrow run-table" data-testid="trace-table">
            <caption className="visually-hidden">Traces</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Pipeline</th>
                <th scope="col">Subject</th>
                <th scope="col">Outcome</th>
                <th scope="col">Duration</th>
                <th scope="col">Failed at</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {data.traces.map((t) => (
                <TraceRow key={t.id} trace={t} />
              ))}
            </tbody>
          </table>
          <Pager
            start={data.start}
            num={data.num}
            total={data.total}
            nextStart={data.nextStart}
            onPage={(s) => navigate(tracesPath(filters, s))}
          />
        </>
      )}
    </section>
  );
}
