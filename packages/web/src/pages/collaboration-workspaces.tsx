import { useState } from 'react';
import {
  addWorkspace,
  type Collaboration,
  deleteWorkspace,
  updateWorkspace,
  type Workspace,
} from '../api/collaborations.ts';
import { listOrgGroups } from '../api/community.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { useAction } from '../lib/use-action.ts';
import { useAsync } from '../lib/use-async.ts';
import { CollaborationWorkspaceForm } from './collaboration-workspace-form.tsx';

interface CollaborationWorkspacesProps {
  collaboration: Collaboration;
  onChanged(message: string): void;
}

/** A collaboration's workspaces with their linked groups; the host adds, edits and deletes them. */
export function CollaborationWorkspaces({ collaboration, onChanged }: CollaborationWorkspacesProps) {
  const groups = useAsync(listOrgGroups, []);
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const action = useAction();
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
      <ErrorAlert error={action.error} />
      <ul className="list" data-testid="workspaces">
        {collaboration.workspaces.map((w: Workspace) => (
          <li key={w.id} className="panel stack" data-testid="workspace-row" aria-label={w.name}>
            {editing === w.id ? (
              <CollaborationWorkspaceForm
                workspace={w}
                onCancel={() => setEditing(null)}
                onSave={async (fields) => {
                  await updateWorkspace(collaboration.id, w.id, fields);
                  setEditing(null);
                  onChanged(`Saved workspace ${fields.name}.`);
                }}
              />
            ) : (
              <>
                <h3 className="wrap">{w.name}</h3>
                {w.description && <p className="wrap">{w.description}</p>}
                <p className="muted" data-testid="workspace-group">
                  Linked group: {groupTitle(w.portalGroupId)}
                </p>
                {host && (
                  <div className="actions">
                    <button type="button" onClick={() => setEditing(w.id)} aria-label={`Edit ${w.name}`}>
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
                  </div>
                )}
              </>
            )}
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
