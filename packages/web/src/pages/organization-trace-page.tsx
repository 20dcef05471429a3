import { useSearchParams } from 'react-router';
import { failedStep, getTrace, type Trace } from '../api/traces.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatDuration, formatMoment, TRACE_OUTCOME_LOOK } from '../lib/run-format.ts';
import { useAsync } from '../lib/use-async.ts';
import { OrganizationLayout } from './organization-layout.tsx';
import { TraceSteps } from './trace-steps.tsx';

/** Organization › Traces › one run: what it was about, how it ended, and every step. */
export function OrganizationTracePage() {
  const id = useSearchParams()[0].get('id') ?? '';
  const trace = useAsync(
    () => (id ? getTrace(id) : Promise.reject(new Error('No trace id in the address.'))),
    [id],
  );
  const data = trace.data?.id === id ? trace.data : null;
  return (
    <OrganizationLayout
      title={data ? `Trace of ${data.pipeline}` : 'Trace'}
      section="traces"
      detail={data ? formatMoment(data.started) : 'Trace'}
    >
      <ErrorAlert error={trace.error} />
      {trace.loading && !data && <Loading />}
      {data && <TraceBody trace={data} />}
    </OrganizationLayout>
  );
}

function TraceBody({ trace }: { trace: Trace }) {
  const failed = failedStep(trace);
  const flagged = trace.steps.filter((s) => s.outcome === 'flagged');
  return (
    <>
      <dl className="details" data-testid="trace-summary">
        <div>
          <dt>Subject</dt>
          <dd>{trace.subject || '—'}</dd>
        </div>
        <div>
          <dt>Outcome</dt>
          <dd>
            <StatusBadge looks={TRACE_OUTCOME_LOOK} value={trace.outcome} testId="trace-outcome" />
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatMoment(trace.started)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(trace.durationMs)}</dd>
        </div>
        <div>
          <dt>Node</dt>
          <dd>
            <code>{trace.node}</code>
          </dd>
        </div>
      </dl>
      {failed ? (
        <section
          className="diagnosis diagnosis-problem"
          aria-label="Why it failed"
          data-testid="trace-failure"
        >
          <h2>
            Failed at step {trace.steps.indexOf(failed) + 1}, <code>{failed.name}</code>
          </h2>
          <p>{failed.detail || 'The step gave no detail.'}</p>
          {trace.code && <p className="hint">Code: {trace.code}</p>}
          <p className="hint">The steps after it did not run.</p>
        </section>
      ) : (
        <p className="diagnosis diagnosis-ok" data-testid="trace-success">
          Every step passed
          {flagged.length > 0 && `; ${flagged.map((s) => s.name).join(', ')} flagged what it found`}.
        </p>
      )}
      <h2>Steps</h2>
      <TraceSteps steps={trace.steps} />
    </>
  );
}
