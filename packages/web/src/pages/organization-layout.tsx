import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { CertificateHealthBanner } from '../components/certificate-health-banner.tsx';
import { Loading } from '../components/loading.tsx';
import { pagePath } from '../router/paths.ts';
import { useSignedIn } from '../session/session-context.ts';
import { ORGANIZATION_PAGES, SECURITY_PAGES } from './security-routes.ts';

export type OrganizationSection = 'members' | 'settings' | 'security' | 'jobs' | 'traces';

const TABS: { section: OrganizationSection; page: string; label: string }[] = [
  { section: 'members', page: ORGANIZATION_PAGES.members, label: 'Members' },
  { section: 'settings', page: ORGANIZATION_PAGES.settings, label: 'Settings' },
  { section: 'security', page: SECURITY_PAGES.certificates, label: 'Security' },
  { section: 'jobs', page: ORGANIZATION_PAGES.jobs, label: 'Jobs' },
  { section: 'traces', page: ORGANIZATION_PAGES.traces, label: 'Traces' },
];

interface OrganizationLayoutProps {
  title: string;
  section: OrganizationSection;
  /** A page below the section's own (one trace): the breadcrumb links the section and ends with this. */
  detail?: string;
  children: ReactNode;
}

/** Frame of the Organization pages: breadcrumb, Members / Settings / Security / Jobs / Traces tabs, certificate warnings; administrators only. */
export function OrganizationLayout({ title, section, detail, children }: OrganizationLayoutProps) {
  const { self, isAdmin } = useSignedIn();
  if (!self) return <Loading />;
  const here = TABS.find((t) => t.section === section);
  return (
    <main>
      {section !== 'members' && (
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to={pagePath(ORGANIZATION_PAGES.members)}>Organization</Link> ›{' '}
          {detail && here ? (
            <>
              <Link to={pagePath(here.page)}>{here.label}</Link> › {detail}
            </>
          ) : (
            here?.label
          )}
        </nav>
      )}
      <h1>{title}</h1>
      {!isAdmin ? (
        <div role="alert" className="alert">
          Only administrators of the organization can open this page.
        </div>
      ) : (
        <>
          <nav aria-label="Organization" className="tabs">
            <ul>
              {TABS.map((t) => (
                <li key={t.section}>
                  <Link to={pagePath(t.page)} aria-current={t.section === section ? 'page' : undefined}>
                    {t.label}
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
