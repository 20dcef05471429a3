import { useEffect } from 'react';
import { matchRoutes, useLocation, useRoutes } from 'react-router';
import { type RouteHandle, routes } from './routes.tsx';

/** The title of the deepest route of `pathname` that names one. */
function routeTitle(pathname: string): string {
  const matches = matchRoutes(routes, pathname) ?? [];
  for (let i = matches.length - 1; i >= 0; i--) {
    const title = (matches[i]?.route.handle as RouteHandle | undefined)?.title;
    if (title) return title;
  }
  return 'Meridian';
}

/** The page of the current address (see routes.tsx), and the document title "<page> · Meridian". */
export function App() {
  const title = routeTitle(useLocation().pathname);
  useEffect(() => {
    document.title = `${title} · Meridian`;
  }, [title]);
  return useRoutes(routes);
}
