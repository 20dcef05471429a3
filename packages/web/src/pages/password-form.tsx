import { type FormEvent, useState } from 'react';
import { changeOwnPassword } from '../api/community.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { PasswordField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';
import { useSignedIn } from '../session/session-context.ts';

/**
 * Changes the user's own password. The portal then revokes every token of the user, this
 * browser's session included: the sign-in page says so and brings the user back here.
 */
export function PasswordForm({ username }: { username: string }) {
  const { passwordChanged } = useSignedIn();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, error, setError, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next !== confirm)
      return setError(new Error('The new password and its confirmation differ: type it again.'));
    if (next === current) return setError(new Error('The new password is the same as the current one.'));
    await run(async () => {
      await changeOwnPassword(username, current, next);
      passwordChanged();
    });
  }

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="password-heading" data-testid="password-form">
      <h2 id="password-heading">Password</h2>
      <PasswordField
        label="Current password"
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
      />
      <PasswordField label="New password" autoComplete="new-password" value={next} onChange={setNext} />
      <PasswordField
        label="Confirm new password"
        autoComplete="new-password"
        value={confirm}
        onChange={setConfirm}
      />
      <p className="hint">Changing it signs you out on every other device and ends your API tokens.</p>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Change password
        </button>
      </div>
    </form>
  );
}
