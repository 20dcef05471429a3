import { useSearchParams } from 'react-router';
import { ErrorAlert } from '../components/error-alert.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { startSignIn } from '../lib/oauth-sign-in.ts';
import { useAction } from '../lib/use-action.ts';

const NOTICES: Record<string, string> = {
  'signed-out': 'You are signed out.',
  'signed-out-everywhere': 'You are signed out on every device, and your API tokens no longer work.',
  'password-changed':
    'Your password was changed, which signed you out on every device, this one too. Sign in with the new password.',
};

/**
 * Sign-in starts the portal's OAuth sign-in (the code flow with PKCE, as the portal's own
 * client): the portal's page asks for the password, and the callback comes back to `next`.
 */
export function SignInPage() {
  const [params] = useSearchParams();
  const { busy, error, run } = useAction();
  const notice = NOTICES[params.get('notice') ?? ''];

  return (
    <main className="narrow">
      <h1>Sign in to Meridian</h1>
      <StatusMessage>{notice}</StatusMessage>
      <form
        className="stack"
        data-testid="sign-in-form"
        onSubmit={(event) => {
          event.preventDefault();
          void run(() => startSignIn(params.get('next')));
        }}
      >
        <p>You sign in on the portal’s sign-in page, then come back here.</p>
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
