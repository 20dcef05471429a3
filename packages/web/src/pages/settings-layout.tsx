import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { pagePath } from '../router/paths.ts';
import { OrganizationLayout } from './organization-layout.tsx';
import { SETTINGS_LINKS } from './security-routes.ts';

/** Organization › Settings: the organization frame plus the settings sub-navigation (General, Servers). */
export function SettingsLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <OrganizationLayout title={title} section="settings">
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
