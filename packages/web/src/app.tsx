import { type ComponentType, type ReactNode, useEffect } from 'react';
import { Loading } from './components/loading.tsx';
import { NavBar } from './components/nav-bar.tsx';
import { ContentPage } from './pages/content-page.tsx';
import { GroupPage } from './pages/group-page.tsx';
import { GroupsPage } from './pages/groups-page.tsx';
import { ItemPage } from './pages/item-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { OrganizationPage } from './pages/organization-page.tsx';
import { OrganizationSettingsPage } from './pages/organization-settings-page.tsx';
import { ProfilePage } from './pages/profile-page.tsx';
import { SearchPage } from './pages/search-page.tsx';
import { SecurityCertificatesPage } from './pages/security-certificates-page.tsx';
import { SecurityHttpsPage } from './pages/security-https-page.tsx';
import { ORGANIZATION_PAGES, SECURITY_PAGES } from './pages/security-routes.ts';
import { SecurityTrustStorePage } from './pages/security-trust-store-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { href, navigate, safeNext, useLocation } from './router/router.ts';
import { useSession } from './session/session-context.ts';

/** Pages that need a signed-in user, by path below /home/. */
const PAGES: Record<string, ComponentType> = {
  'content.html': ContentPage,
  'item.html': ItemPage,
  'groups.html': GroupsPage,
  'group.html': GroupPage,
  'search.html': SearchPage,
  'profile.html': ProfilePage,
  [ORGANIZATION_PAGES.members]: OrganizationPage,
  [ORGANIZATION_PAGES.settings]: OrganizationSettingsPage,
  [SECURITY_PAGES.certificates]: SecurityCertificatesPage,
  [SECURITY_PAGES.trustStore]: SecurityTrustStorePage,
  [SECURITY_PAGES.https]: SecurityHttpsPage,
};

const TITLES: Record<string, string> = {
  'signin.html': 'Sign in',
  'content.html': 'My content',
  'item.html': 'Item',
  'groups.html': 'Groups',
  'group.html': 'Group',
  'search.html': 'Search',
  'profile.html': 'My profile',
  [ORGANIZATION_PAGES.members]: 'Organization',
  [ORGANIZATION_PAGES.settings]: 'Organization settings',
  [SECURITY_PAGES.certificates]: 'Certificates',
  [SECURITY_PAGES.trustStore]: 'Trust store',
  [SECURITY_PAGES.https]: 'HTTPS settings',
};

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const { status } = useSession();
  const location = useLocation();
  const page = location.page === 'index.html' ? '' : location.page;

  useEffect(() => {
    document.title = `${TITLES[page] ?? 'Meridian'} · Meridian`;
  }, [page]);

  if (status === 'loading') return <Loading />;

  let body: ReactNode;
  if (page === 'signin.html') {
    body = status === 'signed-in' ? <Redirect to={safeNext(location.params.get('next'))} /> : <SignInPage />;
  } else if (status === 'signed-out') {
    const next = page === '' ? undefined : location.href;
    body = <Redirect to={href('signin.html', { next })} />;
  } else if (page === '') {
    body = <Redirect to={href('content.html')} />;
  } else {
    const Page = PAGES[page] ?? NotFoundPage;
    body = <Page />;
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <NavBar />
      <div id="main" className="container">
        {body}
      </div>
    </>
  );
}
