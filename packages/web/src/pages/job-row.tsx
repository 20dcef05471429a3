import { isActive, type Job } from '../api/jobs.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatMoment, JOB_STATUS_LOOK } from '../lib/run-format.ts';

/** The first characters of a job's result, as JSON. */
function resultText(result: unknown): string {
  if (result === undefined || result === null) return '';
  const text = typeof result === 'string' ? result : JSON.stringify(result);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

interface JobRowProps {
  job: Job;
  onCancel(job: Job): Promise<void>;
}

/** One job: what it is, how far it got, how it ended; Cancel while it has not ended. */
export function JobRow({ job, onCancel }: JobRowProps) {
  const active = isActive(job);
  const result = resultText(job.result);
  return (
    <tr data-testid={`job-row-${job.id}`}>
      <th scope="row" data-label="Kind">
        {job.kind}
      </th>
      <td data-label="Status">
        <StatusBadge looks={JOB_STATUS_LOOK} value={job.status} testId="job-status" />
      </td>
      <td data-label="Progress">
        {job.status === 'queued' ? (
          <span className="muted">Waiting to start</span>
        ) : (
          <ProgressBar progress={job.progress} running={active} label={`Progress of ${job.kind}`} />
        )}
      </td>
      <td data-label="Created" className="nowrap">
        {formatMoment(job.created)}
      </td>
      <td data-label="Finished" className="nowrap">
        {active ? '—' : formatMoment(job.finished)}
      </td>
      <td data-label="Outcome" className="wrap">
        {job.error ? (
          <span className="error-text" data-testid="job-error">
            {job.error.message} <code>{job.error.code}</code>
          </span>
        ) : (
          result && <code className="result">{result}</code>
        )}
      </td>
      <td data-label="Actions">
        {active && job.cancelRequested && <span className="muted">Cancelling…</span>}
        {active && !job.cancelRequested && (
          <ConfirmButton
            label="Cancel"
            ariaLabel={`Cancel ${job.kind}`}
            question="Stop this job?"
            confirmLabel="Yes, cancel it"
            dismissLabel="Keep it"
            onConfirm={() => onCancel(job)}
          />
        )}
      </td>
    </tr>
  );
}
