import type { JobProgress } from '../api/jobs.ts';

interface ProgressBarProps {
  progress: JobProgress;
  /** Names the bar for assistive technology, e.g. "Progress of ingest". */
  label: string;
}

/** done of total as a bar and in words; a bar without a value while the total is unknown. */
export function ProgressBar({ progress, label }: ProgressBarProps) {
  const total = progress.total ?? 0;
  const known = total > 0;
  const done = Math.min(Math.max(progress.done, 0), known ? total : progress.done);
  const words = known ? `${done} of ${total}` : done > 0 ? `${done} done` : 'Starting…';
  return (
    <div className="progress" data-testid="job-progress">
      {known ? <progress aria-label={label} max={total} value={done} /> : <progress aria-label={label} />}
      <span className="progress-words">
        {words}
        {progress.message ? ` — ${progress.message}` : ''}
      </span>
    </div>
  );
}
