import { type FormEvent, useState } from 'react';
import type { Workspace, WorkspaceFields } from '../api/collaborations.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { GroupSelect } from '../components/group-select.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { TextAreaField, TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';

interface CollaborationWorkspaceFormProps {
  /** The workspace to edit; none to add one. */
  workspace?: Workspace;
  onSave(fields: WorkspaceFields): Promise<unknown>;
  onCancel(): void;
}

/** A workspace's name, description and linked group: Add workspace, or Edit. */
export function CollaborationWorkspaceForm({ workspace, onSave, onCancel }: CollaborationWorkspaceFormProps) {
  const [name, setName] = useState(workspace?.name ?? '');
  const [description, setDescription] = useState(workspace?.description ?? '');
  const [groupId, setGroupId] = useState(workspace?.portalGroupId ?? '');
  const { busy, error, run } = useAction();
  const heading = workspace ? `Edit workspace ${workspace.name}` : 'Add workspace';

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(() => onSave({ name: name.trim(), description: description.trim(), portalGroupId: groupId }));
  }

  return (
    <form className="stack form-grid" onSubmit={submit} aria-label={heading}>
      <h3 className="wide">{heading}</h3>
      <TextField label="Workspace name" required maxLength={100} value={name} onChange={setName} />
      <GroupSelect
        label="Linked group"
        value={groupId}
        onChange={setGroupId}
        noneLabel={workspace?.portalGroupId ? undefined : 'No group yet'}
      />
      <TextAreaField
        label="Workspace description"
        className="wide"
        rows={2}
        maxLength={250}
        value={description}
        onChange={setDescription}
      />
      <ErrorAlert error={error} />
      <SubmitOrCancel
        submit={busy ? 'Saving…' : workspace ? 'Save' : 'Add'}
        disabled={busy}
        onCancel={onCancel}
      />
    </form>
  );
}
