import type { ReactNode } from 'react';
import { Link } from '../router/link.tsx';
import { href, useLocation } from '../router/router.ts';
import { OrganizationLayout } from './organization-layout.tsx';
import { SECURITY_LINKS } from './security-routes.ts';

interface SecurityLayoutProps {
  title: string;
  children: ReactNode;
}

/** Organization › Security: the organization frame plus the security sub-navigation. */
export function SecurityLayout({ title, children }: SecurityLayoutProps) {
  const { page } = useLocation();
  return (
    <OrganizationLayout title={title} section="security">
      <nav aria-label="Security settings" className="subtabs">
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
      {children}
    </OrganizationLayout>
  );
}
