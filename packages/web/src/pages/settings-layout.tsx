import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { pagePath } from '../router/paths.ts';
import { OrganizationLayout } from './organization-layout.tsx';
import { SETTINGS_LINKS } from './security-routes.ts';

interface SettingsLayoutProps {
  title: string;
  /** A page below a settings page (one collaboration): the breadcrumb ends with this. */
  detail?: string;
  children: ReactNode;
}

/** Organization › Settings: the organization frame plus the settings sub-navigation (General, Servers, Collaborations). */
export function SettingsLayout({ title, detail, children }: SettingsLayoutProps) {
  return (
    <OrganizationLayout title={title} section="settings" {...(detail ? { detail } : {})}>
      <nav aria-label="Settings" className="subtabs">
        <ul>
          {SETTINGS_LINKS.map((l) => (
            <li key={l.page}>
              <NavLink to={pagePath(l.page)} end>
                {l.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </OrganizationLayout>
  );
}
