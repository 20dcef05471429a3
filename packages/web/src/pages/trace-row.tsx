import { Link } from 'react-router';
import { failedStep, type Trace } from '../api/traces.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatDuration, formatMoment, TRACE_OUTCOME_LOOK } from '../lib/run-format.ts';
import { pagePath } from '../router/paths.ts';
import { ORGANIZATION_PAGES } from './security-routes.ts';

/**
 * One run in the trace list: when, what, how it ended, and where it stopped if it failed (the
 * step and the failure's code; the run's page says the rest).
 */
export function TraceRow({ trace }: { trace: Trace }) {
  const failed = failedStep(trace);
  return (
    <tr data-testid={`trace-row-${trace.id}`}>
      <td data-label="Started" className="nowrap">
        {formatMoment(trace.started)}
      </td>
      <th scope="row" data-label="Pipeline">
        {trace.pipeline}
      </th>
      <td data-label="Subject" className="wrap">
        {trace.subject}
      </td>
      <td data-label="Outcome">
        <StatusBadge looks={TRACE_OUTCOME_LOOK} value={trace.outcome} testId="trace-outcome" />
      </td>
      <td data-label="Duration" className="nowrap">
        {formatDuration(trace.durationMs)}
      </td>
      <td data-label="Failed at" className="wrap">
        {failed && (
          <>
            <code>{failed.name}</code>
            {trace.code && <span className="error-text"> {trace.code}</span>}
          </>
        )}
      </td>
      <td data-label="Details">
        <Link
          className="button"
          to={pagePath(ORGANIZATION_PAGES.trace, { id: trace.id })}
          aria-label={`Steps of ${trace.pipeline} at ${formatMoment(trace.started)}`}
        >
          Steps
        </Link>
      </td>
    </tr>
  );
}
