import { isRouteErrorResponse, useRouteError } from 'react-router';
import { messageOf } from '../api/errors.ts';
import { BASE } from './paths.ts';

/** Shown in place of the app when a page fails to render: what went wrong, and a way back. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : messageOf(error);
  return (
    <main className="container">
      <h1>Something went wrong</h1>
      <div role="alert" className="alert">
        {message}
      </div>
      <p>
        Reload the page, or go to <a href={`${BASE}content.html`}>My content</a>.
      </p>
    </main>
  );
}
