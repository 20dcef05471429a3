import { Navigate, Outlet, useLocation, useSearchParams } from 'react-router';
import { SignInPage } from '../pages/sign-in-page.tsx';
import { type SessionEnd, useSession } from '../session/session-context.ts';
import { fullPath, type PageParams, pagePath, safeNext } from './paths.ts';

/** /home/ and /home/index.html: My content when signed in, else the sign-in page. */
export function HomeRedirect() {
  const { status } = useSession();
  return <Navigate to={pagePath(status === 'signed-in' ? 'content.html' : 'signin.html')} replace />;
}

/** The sign-in page; once signed in, the page named by `next` (or My content). */
export function SignInRoute() {
  const { status } = useSession();
  const [params] = useSearchParams();
  if (status === 'signed-in') return <Navigate to={safeNext(params.get('next'))} replace />;
  return <SignInPage />;
}

/** The sign-in page's parameters after a session ended this way, on the page at `here`. */
function signInParams(ended: SessionEnd, here: string): PageParams {
  if (ended === 'signed-out') return {};
  if (ended === 'signed-out-everywhere') return { notice: 'signed-out-everywhere' };
  if (ended === 'password-changed') return { notice: 'password-changed', next: here };
  return { next: here };
}

/**
 * Pages for signed-in users. A visitor without a session, or whose session expired, goes to
 * signin.html?next=<this page> in place of it; one who signed out goes to a new sign-in page.
 */
export function RequireSignIn() {
  const { status, ended } = useSession();
  const location = useLocation();
  if (status !== 'signed-in') {
    const signedOut = ended === 'signed-out' || ended === 'signed-out-everywhere';
    return (
      <Navigate to={pagePath('signin.html', signInParams(ended, fullPath(location)))} replace={!signedOut} />
    );
  }
  return <Outlet />;
}
