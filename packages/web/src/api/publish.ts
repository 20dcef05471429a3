/**
 * Publishing a GeoJSON or CSV item as a hosted feature service on the portal's hosting server
 * (sharing/rest/content/users/<user>/publish), and whether the portal has such a server
 * (portals/self/servers).
 */
import { request } from './client.ts';

export const PUBLISHABLE_TYPES: Readonly<Record<string, 'geojson' | 'csv'>> = {
  GeoJson: 'geojson',
  CSV: 'csv',
};

interface PortalServer {
  id: string;
  url: string;
  isHosted?: boolean;
  serverRole?: string;
}

/** The federated hosting server, or null when the portal has none (or does not list servers). */
export async function getHostingServer(): Promise<PortalServer | null> {
  const a = await request<{ servers?: PortalServer[] }>('/sharing/rest/portals/self/servers');
  return (a.servers ?? []).find((s) => s.serverRole === 'HOSTING_SERVER' || s.isHosted === true) ?? null;
}

/** What publish answers: a job, and where it will land when the portal already knows. */
export interface PublishAnswer {
  jobId?: string;
  serviceItemId?: string;
  serviceurl?: string;
  status?: string;
}

/** Accepts `{jobId, serviceItemId?, …}` or ArcGIS's `{services:[{jobId, serviceItemId, serviceurl}]}`. */
export function publishAnswerOf(body: unknown): PublishAnswer {
  const b = (body ?? {}) as Record<string, unknown> & { services?: PublishAnswer[] };
  const first = Array.isArray(b.services) && b.services.length ? b.services[0] : (b as PublishAnswer);
  return {
    jobId: typeof first?.jobId === 'string' ? first.jobId : undefined,
    serviceItemId: typeof first?.serviceItemId === 'string' ? first.serviceItemId : undefined,
    serviceurl: typeof first?.serviceurl === 'string' ? first.serviceurl : undefined,
    status: typeof first?.status === 'string' ? first.status : undefined,
  };
}

export async function publishItem(
  owner: string,
  itemId: string,
  filetype: 'geojson' | 'csv',
  name: string,
): Promise<PublishAnswer> {
  const answer = await request<unknown>(`/sharing/rest/content/users/${encodeURIComponent(owner)}/publish`, {
    method: 'POST',
    form: { itemId, filetype, publishParameters: JSON.stringify({ name }) },
  });
  return publishAnswerOf(answer);
}

/** A service name the server accepts (letters, digits, underscore) from an item's title. */
export function serviceNameFor(title: string): string {
  const name = title
    .normalize('NFKD')
    .replace(/[^\w]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[A-Za-z]/.test(name) ? name.slice(0, 120) : `Service_${name}`.slice(0, 120);
}

/** A publish job as items/<itemId>/status answers it: processing, then completed (with the new item) or failed. */
export interface PublishStatus {
  status: 'processing' | 'completed' | 'failed';
  statusMessage: string;
  jobId: string;
  progress: { done: number; total: number | null; message: string };
  serviceItemId?: string;
  serviceurl?: string;
  errorCode?: string;
}

/** The status of the publish job `jobId` that the item `itemId` of `owner` started. */
export function getPublishStatus(owner: string, itemId: string, jobId: string): Promise<PublishStatus> {
  return request<PublishStatus>(
    `/sharing/rest/content/users/${encodeURIComponent(owner)}/items/${encodeURIComponent(itemId)}/status`,
    { query: { jobId, jobType: 'publish' } },
  );
}
