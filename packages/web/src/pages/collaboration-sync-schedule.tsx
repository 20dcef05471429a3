import { type FormEvent, useState } from 'react';
import { changeSchedule, getSchedule, type SyncSchedule, updateSchedule } from '../api/collaboration-sync.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { TextField } from '../components/text-field.tsx';
import { formatMoment } from '../lib/run-format.ts';
import { useAction } from '../lib/use-action.ts';
import { useAsync } from '../lib/use-async.ts';

interface CollaborationSyncScheduleProps {
  collaborationId: string;
  workspaceId: string;
}

function describe(s: SyncSchedule): string {
  const every = s.interval === 1 ? 'every hour' : `every ${s.interval} hours`;
  const times =
    s.repeatCount < 0
      ? 'for ever'
      : `${s.repeatCount} more time${s.repeatCount === 1 ? '' : 's'} after the first`;
  const next = s.state === 'paused' ? 'paused' : `next ${formatMoment(s.nextRun)}`;
  return `Scheduled ${every}, ${times} (${s.runs} run${s.runs === 1 ? '' : 's'} so far; ${next}).`;
}

/** A workspace's sync schedule on the guest: every N hours, how many times; pause, resume, delete. */
export function CollaborationSyncSchedule({ collaborationId, workspaceId }: CollaborationSyncScheduleProps) {
  const schedule = useAsync(() => getSchedule(collaborationId, workspaceId), [collaborationId, workspaceId]);
  const [interval, setInterval] = useState('24');
  const [repeat, setRepeat] = useState('-1');
  /** The first run, as a datetime-local value in the browser's time zone ('' for now). */
  const [first, setFirst] = useState('');
  const { busy, error, setError, run } = useAction();
  const s = schedule.data;

  function submit(event: FormEvent) {
    event.preventDefault();
    const hours = Number(interval);
    const count = Number(repeat);
    const startTime = first ? new Date(first).getTime() : Date.now();
    if (!Number.isFinite(startTime))
      return setError(new Error('First run: a date and time, or empty for now.'));
    if (!Number.isInteger(hours) || hours < 1)
      return setError(new Error('Every: a whole number of hours, 1 or more.'));
    if (!Number.isInteger(count) || count < -1)
      return setError(new Error('Repeat: a count of 0 or more, or -1 for ever.'));
    void run(async () => {
      await updateSchedule(collaborationId, workspaceId, {
        startTime,
        interval: hours,
        repeatCount: count,
      });
      schedule.reload();
    });
  }

  const act = (change: 'pause' | 'resume' | 'delete') =>
    run(async () => {
      await changeSchedule(collaborationId, workspaceId, change);
      schedule.reload();
    });

  return (
    <div className="stack" data-testid="sync-schedule">
      <p data-testid="schedule-state">
        {s ? describe(s) : 'No schedule: this workspace syncs when you say so.'}
      </p>
      <ErrorAlert error={schedule.error ?? error} />
      <form className="actions" onSubmit={submit} aria-label="Sync schedule">
        <TextField label="First run (empty: now)" type="datetime-local" value={first} onChange={setFirst} />
        <TextField
          label="Every (hours)"
          type="number"
          min={1}
          step={1}
          required
          value={interval}
          onChange={setInterval}
        />
        <TextField
          label="Repeat (-1: for ever)"
          type="number"
          min={-1}
          step={1}
          required
          value={repeat}
          onChange={setRepeat}
        />
        <button type="submit" disabled={busy}>
          {s ? 'Change schedule' : 'Schedule'}
        </button>
        {s?.state === 'active' && (
          <button type="button" disabled={busy} onClick={() => act('pause')}>
            Pause
          </button>
        )}
        {s?.state === 'paused' && (
          <button type="button" disabled={busy} onClick={() => act('resume')}>
            Resume
          </button>
        )}
        {s && (
          <button type="button" className="danger" disabled={busy} onClick={() => act('delete')}>
            Delete schedule
          </button>
        )}
      </form>
    </div>
  );
}
