import type { ReactNode } from 'react';
import { CertificateHealthBanner } from '../components/certificate-health-banner.tsx';
import { Loading } from '../components/loading.tsx';
import { Link } from '../router/link.tsx';
import { href, useLocation } from '../router/router.ts';
import { useSignedIn } from '../session/session-context.ts';
import { SECURITY_LINKS } from './security-routes.ts';

interface SecurityLayoutProps {
  title: string;
  children: ReactNode;
}

/** Frame of the security pages: breadcrumb, sub-navigation, expiry warnings; administrators only. */
export function SecurityLayout({ title, children }: SecurityLayoutProps) {
  const { self, isAdmin } = useSignedIn();
  const { page } = useLocation();

  if (!self) return <Loading />;
  return (
    <main>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href={href('organization.html')}>Organization</Link> › Settings › Security
      </nav>
      <h1>{title}</h1>
      {!isAdmin ? (
        <div role="alert" className="alert">
          Only administrators of the organization can open this page.
        </div>
      ) : (
        <>
          <nav aria-label="Security settings" className="tabs">
            <ul>
              {SECURITY_LINKS.map((l) => (
                <li key={l.page}>
                  <Link href={href(l.page)} aria-current={page === l.page ? 'page' : undefined}>
                    {l.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <CertificateHealthBanner />
          {children}
        </>
      )}
    </main>
  );
}
