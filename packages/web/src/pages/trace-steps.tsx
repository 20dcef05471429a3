import type { TraceStep } from '../api/traces.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatDuration, STEP_OUTCOME_LOOK } from '../lib/run-format.ts';

/** The steps of one run, in order; the failed one stands out, and the run stopped there. */
export function TraceSteps({ steps }: { steps: TraceStep[] }) {
  return (
    <table className="table run-table trace-steps" data-testid="trace-steps">
      <caption className="visually-hidden">Steps, in the order they ran</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Step</th>
          <th scope="col">Outcome</th>
          <th scope="col">Time</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((s, i) => (
          <tr
            key={s.name}
            className={s.outcome === 'failed' ? 'step-failed' : undefined}
            data-testid={`trace-step-${s.name}`}
          >
            <td data-label="#">{i + 1}</td>
            <th scope="row" data-label="Step">
              <code>{s.name}</code>
            </th>
            <td data-label="Outcome">
              <StatusBadge looks={STEP_OUTCOME_LOOK} value={s.outcome} testId="step-outcome" />
            </td>
            <td data-label="Time" className="nowrap">
              {formatDuration(s.ms)}
            </td>
            <td data-label="Detail" className="wrap">
              {s.detail || <span className="muted">—</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
