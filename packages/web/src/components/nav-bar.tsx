import { Link, useLocation, useSearchParams } from 'react-router';
import { pagePath } from '../router/paths.ts';
import { useSession } from '../session/session-context.ts';
import { SearchForm } from './search-form.tsx';

export function NavBar() {
  const { session, isAdmin, signOut } = useSession();
  const page = useLocation().pathname.replace(/^\/+/, '');
  const [params] = useSearchParams();
  const q = page === 'search.html' ? (params.get('q') ?? '') : '';

  const links = [
    { page: 'content.html', label: 'My content' },
    { page: 'groups.html', label: 'Groups' },
    ...(isAdmin ? [{ page: 'organization.html', label: 'Organization' }] : []),
  ];

  return (
    <header className="nav-bar">
      <Link to={pagePath('')} className="brand">
        Meridian
      </Link>
      {session && (
        <>
          <nav aria-label="Main">
            <ul>
              {links.map((l) => (
                <li key={l.page}>
                  <Link
                    to={pagePath(l.page)}
                    aria-current={
                      page === l.page || page.startsWith(l.page.replace('.html', '/')) ? 'page' : undefined
                    }
                  >
                    {l.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <SearchForm key={q} initial={q} />
          <Link
            to={pagePath('profile.html')}
            className="user"
            title="My profile"
            aria-current={page === 'profile.html' ? 'page' : undefined}
            data-testid="signed-in-user"
          >
            {session.username}
          </Link>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </>
      )}
    </header>
  );
}
