import { Link } from 'react-router';
import { pagePath } from '../router/paths.ts';

export function NotFoundPage() {
  return (
    <main>
      <h1>Page not found</h1>
      <p>
        This address is not a page of Meridian. Go to <Link to={pagePath('content.html')}>My content</Link>.
      </p>
    </main>
  );
}
