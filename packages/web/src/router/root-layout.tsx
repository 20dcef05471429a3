import { useEffect } from 'react';
import { Outlet, ScrollRestoration, useMatches } from 'react-router';
import { Loading } from '../components/loading.tsx';
import { NavBar } from '../components/nav-bar.tsx';
import { useSession } from '../session/session-context.ts';
import type { RouteHandle } from './routes.tsx';

/** The document title of the deepest route that names one. */
function useRouteTitle(): string {
  const matches = useMatches();
  for (let i = matches.length - 1; i >= 0; i--) {
    const title = (matches[i]?.handle as RouteHandle | undefined)?.title;
    if (title) return title;
  }
  return 'Meridian';
}

function Frame() {
  const { status } = useSession();
  const title = useRouteTitle();

  useEffect(() => {
    document.title = `${title} · Meridian`;
  }, [title]);

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

/**
 * Every page's frame: the header and the page. A page reached by a link starts at the top;
 * back/forward scroll to where the reader was as far as the page is drawn (pages read their
 * data after they show, so a long list may not be there yet).
 */
export function RootLayout() {
  return (
    <>
      <Frame />
      <ScrollRestoration />
    </>
  );
}
