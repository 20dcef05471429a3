import { type FormEvent, useState } from 'react';
import { type AccessMode, createCollaboration } from '../api/collaborations.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { GroupSelect } from '../components/group-select.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { TextAreaField, TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';
import { useSignedIn } from '../session/session-context.ts';
import { AccessModeField } from './collaboration-access-mode-field.tsx';

interface CollaborationCreateFormProps {
  onCreated(id: string, name: string): void;
  onCancel(): void;
}

/**
 * Create collaboration (this portal hosts it): its name and description, its first workspace
 * and the group of this portal linked to it, and the host contact (the signed-in
 * administrator unless changed).
 */
export function CollaborationCreateForm({ onCreated, onCancel }: CollaborationCreateFormProps) {
  const { self } = useSignedIn();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [workspaceName, setWorkspaceName] = useState('');
  const [workspaceDescription, setWorkspaceDescription] = useState('');
  const [groupId, setGroupId] = useState('');
  const [accessMode, setAccessMode] = useState<AccessMode>('sendAndReceive');
  const [firstname, setFirstname] = useState(self?.firstName ?? '');
  const [lastname, setLastname] = useState(self?.lastName ?? '');
  const [email, setEmail] = useState(self?.email ?? '');
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const id = await createCollaboration({
        name: name.trim(),
        description: description.trim(),
        workspaceName: workspaceName.trim(),
        workspaceDescription: workspaceDescription.trim(),
        portalGroupId: groupId,
        accessMode,
        hostContactFirstname: firstname.trim(),
        hostContactLastname: lastname.trim(),
        hostContactEmailAddress: email.trim(),
      });
      onCreated(id, name.trim());
    });
  }

  return (
    <form className="stack form-grid" onSubmit={submit} aria-labelledby="create-collaboration-heading">
      <h2 id="create-collaboration-heading">Create collaboration</h2>
      <p className="hint">
        This portal hosts it. Items shared with a workspace's linked group are shared with the portals you
        invite.
      </p>
      <TextField label="Name" className="wide" required maxLength={100} value={name} onChange={setName} />
      <TextAreaField
        label="Description"
        className="wide"
        rows={2}
        maxLength={250}
        value={description}
        onChange={setDescription}
      />
      <TextField
        label="First workspace name"
        required
        maxLength={100}
        value={workspaceName}
        onChange={setWorkspaceName}
      />
      <GroupSelect label="Linked group" required value={groupId} onChange={setGroupId} />
      <AccessModeField label="This portal's access" value={accessMode} onChange={setAccessMode} />
      <TextAreaField
        label="Workspace description"
        className="wide"
        rows={2}
        maxLength={250}
        value={workspaceDescription}
        onChange={setWorkspaceDescription}
      />
      <TextField label="Host contact first name" value={firstname} onChange={setFirstname} />
      <TextField label="Host contact last name" value={lastname} onChange={setLastname} />
      <TextField label="Host contact e-mail" type="email" value={email} onChange={setEmail} />
      <ErrorAlert error={error} />
      <SubmitOrCancel submit={busy ? 'Creating…' : 'Create'} disabled={busy} onCancel={onCancel} />
    </form>
  );
}
