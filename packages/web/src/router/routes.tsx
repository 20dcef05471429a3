import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import { CollaborationPage } from '../pages/collaboration-page.tsx';
import { ContentPage } from '../pages/content-page.tsx';
import { GroupPage } from '../pages/group-page.tsx';
import { GroupsPage } from '../pages/groups-page.tsx';
import { ItemPage } from '../pages/item-page.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { OAuthCallbackPage } from '../pages/oauth-callback-page.tsx';
import { OrganizationCollaborationsPage } from '../pages/organization-collaborations-page.tsx';
import { OrganizationJobsPage } from '../pages/organization-jobs-page.tsx';
import { OrganizationPage } from '../pages/organization-page.tsx';
import { OrganizationServersPage } from '../pages/organization-servers-page.tsx';
import { OrganizationSettingsPage } from '../pages/organization-settings-page.tsx';
import { OrganizationTracePage } from '../pages/organization-trace-page.tsx';
import { OrganizationTracesPage } from '../pages/organization-traces-page.tsx';
import { ProfilePage } from '../pages/profile-page.tsx';
import { SearchPage } from '../pages/search-page.tsx';
import { SecurityCertificatesPage } from '../pages/security-certificates-page.tsx';
import { SecurityHttpsPage } from '../pages/security-https-page.tsx';
import { SecurityLoginsPage } from '../pages/security-logins-page.tsx';
import { ORGANIZATION_PAGES, SECURITY_PAGES } from '../pages/security-routes.ts';
import { SecurityTrustStorePage } from '../pages/security-trust-store-page.tsx';
import { HomeRedirect, RequireSignIn, SignInRoute } from './guards.tsx';
import { RootLayout } from './root-layout.tsx';

/** What a route tells the frame: the document title is "<title> · Meridian". */
export interface RouteHandle {
  title: string;
}

function page(path: string, title: string, Component: ComponentType): RouteObject {
  return { path, Component, handle: { title } satisfies RouteHandle };
}

/**
 * Every page of the UI, by its path below /home/ (the URLs are the ones the portal has always
 * used: flat `.html` names with query parameters; oauth-callback is the redirect URI of the
 * portal's own OAuth client). Pages other than sign-in and its callback need a signed-in
 * user; any other path is "Page not found".
 */
export const routes: RouteObject[] = [
  {
    Component: RootLayout,
    children: [
      { index: true, Component: HomeRedirect },
      { path: 'index.html', Component: HomeRedirect },
      page('signin.html', 'Sign in', SignInRoute),
      page('oauth-callback', 'Signing in', OAuthCallbackPage),
      {
        Component: RequireSignIn,
        children: [
          page('content.html', 'My content', ContentPage),
          page('item.html', 'Item', ItemPage),
          page('groups.html', 'Groups', GroupsPage),
          page('group.html', 'Group', GroupPage),
          page('search.html', 'Search', SearchPage),
          page('profile.html', 'My profile', ProfilePage),
          page(ORGANIZATION_PAGES.members, 'Organization', OrganizationPage),
          page(ORGANIZATION_PAGES.settings, 'Organization settings', OrganizationSettingsPage),
          page(ORGANIZATION_PAGES.servers, 'Servers', OrganizationServersPage),
          page(ORGANIZATION_PAGES.collaborations, 'Collaborations', OrganizationCollaborationsPage),
          page(ORGANIZATION_PAGES.collaboration, 'Collaboration', CollaborationPage),
          page(ORGANIZATION_PAGES.jobs, 'Jobs', OrganizationJobsPage),
          page(ORGANIZATION_PAGES.traces, 'Traces', OrganizationTracesPage),
          page(ORGANIZATION_PAGES.trace, 'Trace', OrganizationTracePage),
          page(SECURITY_PAGES.certificates, 'Certificates', SecurityCertificatesPage),
          page(SECURITY_PAGES.trustStore, 'Trust store', SecurityTrustStorePage),
          page(SECURITY_PAGES.https, 'HTTPS settings', SecurityHttpsPage),
          page(SECURITY_PAGES.logins, 'Logins', SecurityLoginsPage),
          page('*', 'Page not found', NotFoundPage),
        ],
      },
    ],
  },
];
