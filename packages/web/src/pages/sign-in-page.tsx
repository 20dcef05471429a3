import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorAlert } from '../components/error-alert.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { PasswordField, TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';
import { useSession } from '../session/session-context.ts';

export function SignInPage() {
  const { signIn } = useSession();
  const [params] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    // Once signed in, the route shows the page named by `next` in place of this one.
    await run(() => signIn(username.trim(), password));
  }

  return (
    <main className="narrow">
      <h1>Sign in to Meridian</h1>
      <StatusMessage>
        {params.get('notice') === 'signed-out-everywhere' &&
          'You are signed out on every device, and your API tokens no longer work.'}
      </StatusMessage>
      <form className="stack" onSubmit={submit} data-testid="sign-in-form">
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={setUsername}
        />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        <ErrorAlert error={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </div>
      </form>
    </main>
  );
}
