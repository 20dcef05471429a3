import { useState } from 'react';
import { getSyncRun, type SyncRun } from '../api/collaboration-sync.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatBytes } from '../lib/format.ts';
import { type BadgeLook, formatMoment } from '../lib/run-format.ts';
import { useAsync } from '../lib/use-async.ts';

const SYNC_LOOK: Record<string, BadgeLook> = {
  submitted: { label: 'Submitted', kind: 'info' },
  started: { label: 'Started', kind: 'info' },
  in_progress: { label: 'In progress', kind: 'info' },
  failed: { label: 'Failed', kind: 'bad' },
  completed_with_failures: { label: 'Completed with failures', kind: 'warn' },
  completed: { label: 'Completed', kind: 'ok' },
};

/** "3 received · 1 sent · 2 errors · 12 KB" from a run's counts (zeros left out). */
function summaryText(summary: Record<string, number>): string {
  const parts: string[] = [];
  for (const [key, n] of Object.entries(summary)) {
    if (!n || key === 'calls') continue;
    if (key === 'bytes') parts.push(formatBytes(n));
    else parts.push(`${n} ${key === 'errors' && n === 1 ? 'error' : key}`);
  }
  return parts.join(' · ') || 'nothing to move';
}

interface CollaborationSyncRunsProps {
  collaborationId: string;
  workspaceId: string;
  runs: SyncRun[];
}

/** A workspace's sync runs, newest first: how each ran and what it moved; one opens to its history. */
export function CollaborationSyncRuns({ collaborationId, workspaceId, runs }: CollaborationSyncRunsProps) {
  const [open, setOpen] = useState<string | null>(null);
  if (runs.length === 0) return <p className="muted">No sync yet.</p>;
  return (
    <ol className="list" aria-label="Sync history" data-testid="sync-runs">
      {runs.map((r) => (
        <li key={r.syncId} className="stack" data-testid="sync-run">
          <p>
            <StatusBadge looks={SYNC_LOOK} value={r.status} testId="sync-status" /> {r.syncExecType} ·{' '}
            {formatMoment(r.startTime)} · <span data-testid="sync-summary">{summaryText(r.summary)}</span>{' '}
            <button type="button" onClick={() => setOpen(open === r.syncId ? null : r.syncId)}>
              {open === r.syncId ? 'Hide history' : 'History'}
            </button>
          </p>
          {open === r.syncId && (
            <RunHistory collaborationId={collaborationId} workspaceId={workspaceId} syncId={r.syncId} />
          )}
        </li>
      ))}
    </ol>
  );
}

function RunHistory({
  collaborationId,
  workspaceId,
  syncId,
}: {
  collaborationId: string;
  workspaceId: string;
  syncId: string;
}) {
  const run = useAsync(() => getSyncRun(collaborationId, workspaceId, syncId), [syncId]);
  const h = run.data?.history;
  if (run.error) return <ErrorAlert error={run.error} />;
  if (!run.data) return run.loading ? <Loading /> : <p className="muted">This run is gone.</p>;
  return (
    <div className="stack" data-testid="sync-history">
      {(h?.errors ?? []).map((e) => (
        <div key={`${e.code}:${e.originItemId ?? ''}:${e.message}`} className="diagnosis diagnosis-problem">
          <p>
            {e.message} <span className="muted">({e.code})</span>
          </p>
          {e.diagnosis?.message && <p>{e.diagnosis.message}</p>}
          {e.diagnosis?.fix && <p>{e.diagnosis.fix}</p>}
        </div>
      ))}
      {(h?.moved ?? []).length > 0 && (
        <ul className="list">
          {(h?.moved ?? []).map((m) => (
            <li key={`${m.direction}:${m.op}:${m.originItemId}`}>
              {m.direction} · {m.op}
              {m.as ? ` as ${m.as}` : ''} · {m.title || m.originItemId}
              {m.bytes ? ` · ${formatBytes(m.bytes)}` : ''}
            </li>
          ))}
        </ul>
      )}
      {(h?.fallbacks ?? []).map((f) => (
        <p key={`fallback:${f.originItemId ?? ''}:${f.code}`} className="muted" data-testid="sync-fallback">
          Kept as a reference instead of a copy: {f.message} ({f.code})
        </p>
      ))}
      {(h?.overwritten ?? []).map((o) => (
        <p key={`${o.originItemId}-${o.lost.modified}`} className="muted">
          Concurrent edit of {o.lost.title}: the {o.kept} version was kept; the {o.lost.from} version of{' '}
          {formatMoment(o.lost.modified)} was overwritten.
        </p>
      ))}
      {!h?.errors?.length && !h?.moved?.length && !h?.overwritten?.length && !h?.fallbacks?.length && (
        <p className="muted">Nothing moved.</p>
      )}
    </div>
  );
}
