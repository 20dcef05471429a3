import { useState } from 'react';
import { addWorkspace, type Collaboration, type Workspace } from '../api/collaborations.ts';
import { listOrgGroups } from '../api/community.ts';
import { useAsync } from '../lib/use-async.ts';
import { CollaborationWorkspaceForm } from './collaboration-workspace-form.tsx';
import { CollaborationWorkspaceRow } from './collaboration-workspace-row.tsx';

interface CollaborationWorkspacesProps {
  collaboration: Collaboration;
  /** This portal's partnership ended (a guest that left or was removed). */
  ended?: boolean;
  onChanged(message: string): void;
}

/** A collaboration's workspaces (collaboration-workspace-row.tsx each); the host adds them. */
export function CollaborationWorkspaces({
  collaboration,
  ended = false,
  onChanged,
}: CollaborationWorkspacesProps) {
  // Read again with each answer of the collaboration: a group linked since may be new.
  const groups = useAsync(listOrgGroups, [collaboration]);
  const [adding, setAdding] = useState(false);
  const host = collaboration.isHost;
  /** The linked group's title (its id when this portal lists no such group); '…' while the groups load. */
  const groupTitle = (id: string | null) => {
    if (!id) return 'none of this portal yet';
    if (!groups.data) return '…';
    return groups.data.find((g) => g.id === id)?.title ?? id;
  };

  return (
    <section className="stack" aria-labelledby="workspaces-heading">
      <h2 id="workspaces-heading">Workspaces</h2>
      <ul className="list" data-testid="workspaces">
        {collaboration.workspaces.map((w: Workspace) => (
          <li key={w.id} className="panel stack" data-testid="workspace-row" aria-label={w.name}>
            <CollaborationWorkspaceRow
              collaboration={collaboration}
              workspace={w}
              groupTitle={groupTitle(w.portalGroupId)}
              ended={ended}
              onChanged={onChanged}
            />
          </li>
        ))}
      </ul>
      {host &&
        (adding ? (
          <div className="panel">
            <CollaborationWorkspaceForm
              onCancel={() => setAdding(false)}
              onSave={async (fields) => {
                await addWorkspace(collaboration.id, fields);
                setAdding(false);
                onChanged(`Added workspace ${fields.name}.`);
              }}
            />
          </div>
        ) : (
          <div className="actions">
            <button type="button" onClick={() => setAdding(true)}>
              Add workspace
            </button>
          </div>
        ))}
    </section>
  );
}
