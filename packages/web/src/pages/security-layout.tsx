import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { pagePath } from '../router/paths.ts';
import { OrganizationLayout } from './organization-layout.tsx';
import { SECURITY_LINKS } from './security-routes.ts';

interface SecurityLayoutProps {
  title: string;
  children: ReactNode;
}

/** Organization › Security: the organization frame plus the security sub-navigation. */
export function SecurityLayout({ title, children }: SecurityLayoutProps) {
  return (
    <OrganizationLayout title={title} section="security">
      <nav aria-label="Security settings" className="subtabs">
        <ul>
          {SECURITY_LINKS.map((l) => (
            <li key={l.page}>
              <NavLink to={pagePath(l.page)}>{l.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </OrganizationLayout>
  );
}
