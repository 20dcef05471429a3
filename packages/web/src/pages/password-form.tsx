import { type FormEvent, useState } from 'react';
import { changeOwnPassword } from '../api/community.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { useSignedIn } from '../session/session-context.ts';

/**
 * Changes the user's own password. The portal then revokes every token of the user, this
 * browser's session included, so the form signs in again with the new password.
 */
export function PasswordForm({ username }: { username: string }) {
  const { signIn } = useSignedIn();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setStatus('');
    if (next !== confirm)
      return setError(new Error('The new password and its confirmation differ: type it again.'));
    if (next === current) return setError(new Error('The new password is the same as the current one.'));
    setBusy(true);
    try {
      await changeOwnPassword(username, current, next);
      await signIn(username, next);
      setCurrent('');
      setNext('');
      setConfirm('');
      setStatus(
        'Password changed. Every other session and token of yours was signed out; you stay signed in here with the new password.',
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="password-heading" data-testid="password-form">
      <h2 id="password-heading">Password</h2>
      <Field label="Current password">
        {(id) => (
          <input
            id={id}
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        )}
      </Field>
      <Field label="New password">
        {(id) => (
          <input
            id={id}
            type="password"
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        )}
      </Field>
      <Field label="Confirm new password">
        {(id) => (
          <input
            id={id}
            type="password"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        )}
      </Field>
      <p className="hint">Changing it signs you out on every other device and ends your API tokens.</p>
      <ErrorAlert error={error} />
      <StatusMessage>{status}</StatusMessage>
      <div className="actions">
        <button type="submit" disabled={busy}>
          Change password
        </button>
      </div>
    </form>
  );
}
