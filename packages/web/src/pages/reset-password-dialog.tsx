import { type FormEvent, useState } from 'react';
import { resetUserPassword } from '../api/admin.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { ModalDialog } from '../components/modal-dialog.tsx';

interface ResetPasswordDialogProps {
  username: string;
  onClose(): void;
  onReset(message: string): void;
}

/** An administrator sets a new password for a user (whose sessions and tokens then stop working). */
export function ResetPasswordDialog({ username, onClose, onReset }: ResetPasswordDialogProps) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await resetUserPassword(username, password);
      onReset(
        `Password of ${username} reset: give them the new one. Their sessions and tokens were signed out.`,
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <ModalDialog title={`Reset the password of ${username}`} onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <Field label="New password">
          {(id) => (
            <input
              id={id}
              type="password"
              autoComplete="new-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <p className="hint">
          The user signs in with it; they can change it on their profile page afterwards.
        </p>
        <ErrorAlert error={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Set password
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
