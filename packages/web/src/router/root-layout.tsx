import { useEffect } from 'react';
import { Outlet, useLocation, useNavigationType } from 'react-router';
import { Loading } from '../components/loading.tsx';
import { NavBar } from '../components/nav-bar.tsx';
import { useSession } from '../session/session-context.ts';

/**
 * Every page's frame: the header and the page. A page reached by a link starts at the top;
 * back and forward leave the scrolling to the browser.
 */
export function RootLayout() {
  const { status } = useSession();
  const { pathname, search } = useLocation();
  const navigationType = useNavigationType();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new address (path or query) is what starts at the top
  useEffect(() => {
    if (navigationType !== 'POP') window.scrollTo(0, 0);
  }, [pathname, search, navigationType]);

  if (status === 'loading') return <Loading />;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <NavBar />
      <div id="main" className="container">
        <Outlet />
      </div>
    </>
  );
}
