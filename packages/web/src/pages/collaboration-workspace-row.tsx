import { useState } from 'react';
import { SHARE_AS_OPTIONS } from '../api/collaboration-sync.ts';
import {
  type Collaboration,
  deleteWorkspace,
  updateWorkspace,
  type Workspace,
} from '../api/collaborations.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { useAction } from '../lib/use-action.ts';
import { CollaborationGroupLink } from './collaboration-group-link.tsx';
import { CollaborationWorkspaceForm } from './collaboration-workspace-form.tsx';
import { CollaborationWorkspaceSync } from './collaboration-workspace-sync.tsx';

interface CollaborationWorkspaceRowProps {
  collaboration: Collaboration;
  workspace: Workspace;
  /** The linked group's title as the page shows it. */
  groupTitle: string;
  /** This portal's partnership ended (a guest that left or was removed): nothing to link or sync. */
  ended?: boolean;
  onChanged(message: string): void;
}

/**
 * One workspace: its linked group and how it syncs; the host edits and deletes it, each side
 * links its own group; on the guest, Sync now, the schedule and the history.
 */
export function CollaborationWorkspaceRow({
  collaboration,
  workspace: w,
  groupTitle,
  ended = false,
  onChanged,
}: CollaborationWorkspaceRowProps) {
  const [mode, setMode] = useState<'view' | 'edit' | 'link'>('view');
  const action = useAction();
  const link = w.portalGroupLink;
  const shareAs = SHARE_AS_OPTIONS.find((o) => o.value === link?.shareItemsAs)?.label;

  function done(message: string) {
    setMode('view');
    onChanged(message);
  }

  if (mode === 'edit')
    return (
      <CollaborationWorkspaceForm
        workspace={w}
        onCancel={() => setMode('view')}
        onSave={async (fields) => {
          await updateWorkspace(collaboration.id, w.id, fields);
          done(`Saved workspace ${fields.name}.`);
        }}
      />
    );
  if (mode === 'link')
    return (
      <CollaborationGroupLink
        collaborationId={collaboration.id}
        workspace={w}
        onChanged={done}
        onClose={() => setMode('view')}
      />
    );
  return (
    <>
      <h3 className="wrap">{w.name}</h3>
      {w.description && <p className="wrap">{w.description}</p>}
      <p className="muted" data-testid="workspace-group">
        Linked group: {groupTitle}
      </p>
      {w.portalGroupId && link && (
        <p className="muted" data-testid="workspace-link">
          {link.enableRealtimeSync ? 'Real-time sync' : 'Sync on demand or on a schedule'}
          {shareAs ? ` · sends ${shareAs.split(' (')[0]?.toLowerCase()}` : ''} · an unshared copy is{' '}
          {link.unsharedCopies === 'delete' ? 'deleted' : 'kept'}
        </p>
      )}
      <ErrorAlert error={action.error} />
      {!ended && (
        <div className="actions">
          <button type="button" onClick={() => setMode('link')} aria-label={`Group link of ${w.name}`}>
            {w.portalGroupId ? 'Group link' : 'Link a group'}
          </button>
          {collaboration.isHost && (
            <>
              <button type="button" onClick={() => setMode('edit')} aria-label={`Edit ${w.name}`}>
                Edit
              </button>
              <ConfirmButton
                label="Delete"
                ariaLabel={`Delete workspace ${w.name}`}
                question={`Delete workspace ${w.name}? Its items are no longer shared through it.`}
                confirmLabel="Delete workspace"
                onConfirm={async () => {
                  await action.run(async () => {
                    await deleteWorkspace(collaboration.id, w.id);
                    onChanged(`Deleted workspace ${w.name}.`);
                  });
                }}
              />
            </>
          )}
        </div>
      )}
      {!collaboration.isHost && (
        <CollaborationWorkspaceSync collaborationId={collaboration.id} workspace={w} ended={ended} />
      )}
    </>
  );
}
