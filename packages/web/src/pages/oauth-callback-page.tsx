import { useEffect, useState } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { type CallbackOutcome, finishSignIn } from '../lib/oauth-sign-in.ts';
import { pagePath, safeNext } from '../router/paths.ts';
import { useSession } from '../session/session-context.ts';

/**
 * /home/oauth-callback, where the portal sends the browser back: after sign-in with a code
 * (checked against this tab's state, then exchanged for the session) it goes on to the page the
 * user was going to; after sign-out, to the sign-in page. A refused sign-in stays here, shown.
 */
export function OAuthCallbackPage() {
  const { search } = useLocation();
  const { adoptSession } = useSession();
  const [outcome, setOutcome] = useState<CallbackOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    finishSignIn(search).then(
      (o) => {
        if (!live) return;
        if (o.kind === 'signed-in') adoptSession(o.session);
        setOutcome(o);
      },
      (err: unknown) => {
        if (live) setError(err);
      },
    );
    return () => {
      live = false;
    };
  }, [search, adoptSession]);

  if (outcome?.kind === 'signed-in') return <Navigate to={safeNext(outcome.next)} replace />;
  if (outcome?.kind === 'signed-out')
    return <Navigate to={pagePath('signin.html', { notice: 'signed-out' })} replace />;
  if (error)
    return (
      <main className="narrow">
        <h1>Sign-in failed</h1>
        <ErrorAlert error={error} />
        <p>
          <Link to={pagePath('signin.html')}>Sign in again</Link>
        </p>
      </main>
    );
  return (
    <main className="narrow">
      <Loading />
    </main>
  );
}
