/**
 * Federated GIS servers (portaladmin/federation/servers): list, federate (with the
 * confirm-the-certificate step), validate, change role, unfederate.
 */
import { request } from './client.ts';
import { ApiError } from './errors.ts';

const SERVERS = '/portaladmin/federation/servers';
const enc = encodeURIComponent;

export const SERVER_ROLES = [
  'HOSTING_SERVER',
  'FEDERATED_SERVER',
  'FEDERATED_SERVER_WITH_RESTRICTED_PUBLISHING',
] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

/** A GIS server federated with the portal, as portaladmin lists it. */
export interface FederatedServer {
  id: string;
  name: string;
  url: string;
  adminUrl: string;
  isHosted: boolean;
  serverRole: ServerRole | string;
  serverFunction: string;
  serverType: string;
}

export interface NewServer {
  url: string;
  adminUrl: string;
  username: string;
  password: string;
  /** The SHA-256 fingerprint of the certificate the administrator confirmed. */
  trustPresentedCertificate?: string;
}

/** One certificate of the chain the server presented. */
export interface PresentedCertificate {
  subject: string;
  issuer: string;
  notAfter: number | string;
  sha256Fingerprint: string;
}

/** The portal does not trust the server's certificate: the diagnosis and what to confirm. */
export interface UntrustedCertificate {
  messages: string[];
  presentedChain: PresentedCertificate[];
  fingerprintToConfirm: string;
}

export const VALIDATION_STATUSES = ['success', 'success with warnings', 'failure', 'undetermined'] as const;

export interface ServerValidation {
  status: (typeof VALIDATION_STATUSES)[number] | string;
  serverId: string;
  messages: string[];
  /** The server now presents a certificate from a CA the portal does not trust: the one to confirm. */
  fingerprintToConfirm?: string;
}

export async function listServers(): Promise<FederatedServer[]> {
  const a = await request<{ servers?: FederatedServer[] }>(SERVERS);
  return a.servers ?? [];
}

/** Federates a server; the portal answers `{status, serverId, server}`: the server as listed. */
export async function federateServer(server: NewServer): Promise<FederatedServer> {
  const { trustPresentedCertificate, ...fields } = server;
  const a = await request<{ status: string; serverId: string; server: FederatedServer }>(
    `${SERVERS}/federate`,
    {
      method: 'POST',
      form: { ...fields, trustPresentedCertificate: trustPresentedCertificate || undefined },
    },
  );
  return a.server;
}

/** Validates a server; with `trustPresentedCertificate`, first trusts its new certificate of that fingerprint. */
export async function validateServer(
  id: string,
  trustPresentedCertificate?: string,
): Promise<ServerValidation> {
  const a = await request<Partial<ServerValidation>>(`${SERVERS}/${enc(id)}/validate`, {
    method: 'POST',
    form: { trustPresentedCertificate: trustPresentedCertificate || undefined },
  });
  return {
    status: a.status ?? 'undetermined',
    serverId: a.serverId ?? id,
    messages: a.messages ?? [],
    ...(typeof a.fingerprintToConfirm === 'string' ? { fingerprintToConfirm: a.fingerprintToConfirm } : {}),
  };
}

export function updateServer(
  id: string,
  changes: { serverRole: string; serverFunction: string },
): Promise<{ status: string }> {
  return request(`${SERVERS}/${enc(id)}/update`, { method: 'POST', form: changes });
}

export function unfederateServer(id: string): Promise<{ status: string }> {
  return request(`${SERVERS}/${enc(id)}/unfederate`, { method: 'POST', form: {} });
}

function isCertificate(value: unknown): value is PresentedCertificate {
  if (!value || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  return typeof c.subject === 'string' && typeof c.sha256Fingerprint === 'string';
}

/**
 * The untrusted-certificate answer of federate (errorCode `servers.untrusted_certificate`, the
 * chain and the fingerprint to confirm in the error's other fields), or null for any other error.
 */
export function untrustedCertificateOf(err: unknown): UntrustedCertificate | null {
  if (!(err instanceof ApiError)) return null;
  const code = err.errorCode ?? err.data.code;
  if (code !== 'servers.untrusted_certificate') return null;
  const chain = Array.isArray(err.data.presentedChain) ? err.data.presentedChain.filter(isCertificate) : [];
  const fingerprint = typeof err.data.fingerprintToConfirm === 'string' ? err.data.fingerprintToConfirm : '';
  if (!fingerprint) return null;
  return {
    messages: err.details.length ? err.details : [err.message],
    presentedChain: chain,
    fingerprintToConfirm: fingerprint,
  };
}

const ROLE_LABELS: Record<string, string> = {
  HOSTING_SERVER: 'Hosting server',
  FEDERATED_SERVER: 'Federated server',
  FEDERATED_SERVER_WITH_RESTRICTED_PUBLISHING: 'Federated, restricted publishing',
};

export function formatServerRole(role: string): string {
  return ROLE_LABELS[role] ?? role;
}
