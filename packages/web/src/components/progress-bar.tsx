import type { JobProgress } from '../api/jobs.ts';

interface ProgressBarProps {
  progress: JobProgress;
  /** Whether the work goes on: an ended job without a known total shows no bar. */
  running: boolean;
  /** Names the bar for assistive technology, e.g. "Progress of ingest". */
  label: string;
}

/**
 * done of total as a bar and in words; while the total is unknown, a bar without a value as
 * long as the work goes on, and only the words once it has ended.
 */
export function ProgressBar({ progress, running, label }: ProgressBarProps) {
  const total = progress.total ?? 0;
  const known = total > 0;
  const done = Math.min(Math.max(progress.done, 0), known ? total : progress.done);
  const idle = running ? 'Starting…' : 'Nothing done';
  const words = known ? `${done} of ${total}` : done > 0 ? `${done} done` : idle;
  return (
    <div className="progress" data-testid="job-progress">
      {known && <progress aria-label={label} max={total} value={done} />}
      {!known && running && <progress aria-label={label} />}
      <span className="progress-words">
        {words}
        {progress.message ? ` — ${progress.message}` : ''}
      </span>
    </div>
  );
}
