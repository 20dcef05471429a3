import { request } from './client.ts';
import type { DefaultItemAccess, PortalSelf } from './types.ts';

const ACCESS: readonly DefaultItemAccess[] = ['private', 'org', 'public'];

export async function getPortalSelf(): Promise<PortalSelf> {
  const a = await request<Partial<PortalSelf>>('/sharing/rest/portals/self');
  return {
    id: a.id ?? '',
    name: a.name ?? '',
    description: a.description ?? '',
    maxTokenExpirationMinutes: a.maxTokenExpirationMinutes ?? 0,
    defaultTokenExpirationMinutes: a.defaultTokenExpirationMinutes ?? 0,
    defaultItemAccess: ACCESS.includes(a.defaultItemAccess as DefaultItemAccess)
      ? (a.defaultItemAccess as DefaultItemAccess)
      : 'private',
    portalHostname: a.portalHostname,
    defaultBasemap: a.defaultBasemap,
  };
}

export type PortalChanges = Pick<
  PortalSelf,
  'name' | 'description' | 'maxTokenExpirationMinutes' | 'defaultTokenExpirationMinutes' | 'defaultItemAccess'
> & {
  /** The basemap as ArcGIS JSON (api/basemap.ts basemapParam); '' removes it. */
  defaultBasemap?: string;
};

export function updatePortal(changes: PortalChanges): Promise<{ success: boolean }> {
  return request('/sharing/rest/portals/self/update', { method: 'POST', form: { ...changes } });
}
