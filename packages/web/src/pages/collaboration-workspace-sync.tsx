import { useState } from 'react';
import { listSyncRuns, syncNow } from '../api/collaboration-sync.ts';
import type { Workspace } from '../api/collaborations.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { useAction } from '../lib/use-action.ts';
import { useAsync } from '../lib/use-async.ts';
import { useRefreshWhile } from '../lib/use-refresh-while.ts';
import { CollaborationSyncRuns } from './collaboration-sync-runs.tsx';
import { CollaborationSyncSchedule } from './collaboration-sync-schedule.tsx';

const RUNNING = new Set(['submitted', 'started', 'in_progress']);

interface CollaborationWorkspaceSyncProps {
  collaborationId: string;
  workspace: Workspace;
  /** This portal's partnership ended: the history stays, nothing syncs any more. */
  ended?: boolean;
}

/** On the guest (which initiates sync): Sync now, the schedule, and the runs with their history. */
export function CollaborationWorkspaceSync({
  collaborationId,
  workspace,
  ended = false,
}: CollaborationWorkspaceSyncProps) {
  const runs = useAsync(() => listSyncRuns(collaborationId, workspace.id), [collaborationId, workspace.id]);
  const running = runs.data?.some((r) => RUNNING.has(r.status)) ?? false;
  const realtime = workspace.portalGroupLink?.enableRealtimeSync === true;
  // A real-time link keeps a run going: follow it less often.
  useRefreshWhile(runs, running, realtime ? 5000 : 1000);
  const action = useAction();
  const [status, setStatus] = useState('');
  const linked = Boolean(workspace.portalGroupId);

  return (
    <section className="stack" aria-label={`Sync of ${workspace.name}`} data-testid="workspace-sync">
      <h4>Sync</h4>
      {ended && (
        <p className="hint" data-testid="sync-ended">
          This portal no longer takes part in the collaboration: nothing syncs any more. The history stays.
        </p>
      )}
      {!ended && !linked && (
        <p className="hint">Link a group of this portal first: received items go into it.</p>
      )}
      {!ended && linked && realtime && (
        <p className="hint" data-testid="realtime-note">
          Real-time sync is on: a run is kept going, and changes travel as they happen.
        </p>
      )}
      <StatusMessage>{status}</StatusMessage>
      <ErrorAlert error={action.error} />
      {!ended && (
        <div className="actions">
          <button
            type="button"
            disabled={!linked || running || action.busy}
            onClick={() =>
              action.run(async () => {
                await syncNow(collaborationId, workspace.id);
                setStatus(`Sync of ${workspace.name} started.`);
                runs.reload();
              })
            }
          >
            {running ? 'Syncing…' : 'Sync now'}
          </button>
        </div>
      )}
      {!ended && <CollaborationSyncSchedule collaborationId={collaborationId} workspaceId={workspace.id} />}
      <ErrorAlert error={runs.error} />
      {runs.data && (
        <CollaborationSyncRuns
          collaborationId={collaborationId}
          workspaceId={workspace.id}
          runs={runs.data}
        />
      )}
    </section>
  );
}
