import { type FormEvent, useState } from 'react';
import { resetUserPassword } from '../api/admin.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ModalDialog } from '../components/modal-dialog.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { PasswordField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';

interface ResetPasswordDialogProps {
  username: string;
  onClose(): void;
  onReset(message: string): void;
}

/** An administrator sets a new password for a user (whose sessions and tokens then stop working). */
export function ResetPasswordDialog({ username, onClose, onReset }: ResetPasswordDialogProps) {
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await resetUserPassword(username, password);
      onReset(
        `Password of ${username} reset: give them the new one. Their sessions and tokens were signed out.`,
      );
    });
  }

  return (
    <ModalDialog title={`Reset the password of ${username}`} onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <PasswordField
          label="New password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
        />
        <p className="hint">
          The user signs in with it; they can change it on their profile page afterwards.
        </p>
        <ErrorAlert error={error} />
        <SubmitOrCancel submit="Set password" disabled={busy} onCancel={onClose} />
      </form>
    </ModalDialog>
  );
}
