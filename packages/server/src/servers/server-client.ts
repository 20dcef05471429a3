import { isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';
import type { OutboundRequest, OutboundResponse } from '../kernel/outbound/guarded-client.ts';
import type { PortalOutbound } from '../pki/module.ts';
import { ServerFederationFailed, ServerNotMeridian, ServerUnreachable } from './errors.ts';

/** A certificate the server presented, as a failed or a successful connection reports it. */
export interface PresentedCert {
  subject: string;
  issuer: string;
  sha256Fingerprint: string;
  validUntil: number;
  isCA: boolean;
  pem: string;
}

/** What the diagnosis of a refused certificate carries (pki's DiagnosisReport, the part used here). */
export interface CertificateDiagnosis {
  ok: boolean;
  code: string;
  message: string;
  fix: string;
  presentedChain: PresentedCert[];
}

/** The guarded client refused the server's certificate: the pki diagnosis rides along. */
export class CertificateRefused extends Error {
  readonly diagnosis: CertificateDiagnosis;
  readonly error: MeridianError;
  constructor(error: MeridianError, diagnosis: CertificateDiagnosis) {
    super(error.message);
    this.error = error;
    this.diagnosis = diagnosis;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of a remote server, checked where read.
export type Json = Record<string, any>;

/** What a call to a GIS server may say of its failures (beyond the servers module's defaults). */
export interface ServerRequestOptions {
  /** Who could not be reached, in servers.unreachable's message (default: the URL's host). */
  name?: string;
  /** Outbound error codes passed on as they are (they are not the server's unreachability). */
  passThrough?: ReadonlySet<string>;
}

/**
 * One call to a GIS server through the guarded client (its trust store, address policy and
 * limits), answered as ArcGIS JSON. A refused certificate throws CertificateRefused (with the
 * diagnosis); no connection throws servers.unreachable; an answer that is not JSON throws
 * servers.not_a_meridian_server. The answer's own error shape is the caller's to read.
 */
export async function serverRequest(
  outbound: Pick<PortalOutbound, 'client'>,
  url: string,
  req: OutboundRequest,
  opts: ServerRequestOptions = {},
): Promise<Json> {
  const target = new URL(url);
  let res: OutboundResponse;
  try {
    res = await outbound.client().request(url, req);
  } catch (err) {
    if (!isMeridianError(err) || opts.passThrough?.has(err.code)) throw err;
    const diagnosis = (err.data as { diagnosis?: CertificateDiagnosis } | undefined)?.diagnosis;
    if (diagnosis && err.code.startsWith('trust.')) throw new CertificateRefused(err, diagnosis);
    throw new MeridianError(
      ServerUnreachable,
      `${opts.name ?? target.host} could not be reached: ${err.message} ${ServerUnreachable.fix}`,
      { detail: err.code, cause: err },
    );
  }
  try {
    const json = res.json<Json>();
    if (json && typeof json === 'object' && !Array.isArray(json)) return json;
  } catch {
    // not JSON: below
  }
  throw new MeridianError(
    ServerNotMeridian,
    `${target.origin}${target.pathname} answered HTTP ${res.status} with something that is not ArcGIS JSON. ${ServerNotMeridian.fix}`,
  );
}

/** The portal's calls to a GIS server's REST and administrator API (serverRequest each). */
export function serverClient(outbound: Pick<PortalOutbound, 'client'>) {
  function call(url: string, form?: Record<string, string>, token?: string): Promise<Json> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers['x-esri-authorization'] = `Bearer ${token}`;
    if (!form)
      return serverRequest(outbound, `${url}${url.includes('?') ? '&' : '?'}f=json`, {
        headers,
        maxBytes: 4 * 1024 * 1024,
      });
    return serverRequest(outbound, url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ f: 'json', ...form }).toString(),
      maxBytes: 4 * 1024 * 1024,
    });
  }
  return {
    /** GET <url>/rest/info?f=json (anonymous). */
    info: (url: string) => call(`${url}/rest/info`),
    /** POST <adminUrl>/generateToken: an administrator token of the server itself. */
    generateToken: (adminUrl: string, username: string, password: string) =>
      call(`${adminUrl}/generateToken`, { username, password, client: 'requestip', expiration: '60' }),
    securityConfig: (adminUrl: string, token: string) =>
      call(`${adminUrl}/security/config`, undefined, token),
    updateSecurityConfig: (adminUrl: string, token: string, form: Record<string, string>) =>
      call(`${adminUrl}/security/config/update`, form, token),
    services: (adminUrl: string, token: string, folder?: string) =>
      call(
        `${adminUrl}/services${folder ? `/${encodeURIComponent(folder)}` : ''}?detail=true`,
        undefined,
        token,
      ),
    setPortalItem: (adminUrl: string, token: string, service: ServiceRef, itemId: string) =>
      call(`${serviceAdminUrl(adminUrl, service)}/setPortalItem`, { itemId }, token),
    deleteService: (adminUrl: string, token: string, service: ServiceRef) =>
      call(`${serviceAdminUrl(adminUrl, service)}/delete`, {}, token),
  };
}

export type ServerClient = ReturnType<typeof serverClient>;

/** A service of a server: its folder ('' for the root) and name. */
export interface ServiceRef {
  folder: string;
  name: string;
  type: string;
}

export function serviceAdminUrl(adminUrl: string, s: ServiceRef): string {
  const folder = s.folder ? `/${encodeURIComponent(s.folder)}` : '';
  return `${adminUrl}/services${folder}/${encodeURIComponent(s.name)}.${s.type || 'FeatureServer'}`;
}

/** The service URL clients use: <root>/rest/services/[<folder>/]<name>/<type>. */
export function serviceUrl(root: string, s: ServiceRef): string {
  const folder = s.folder ? `${encodeURIComponent(s.folder)}/` : '';
  return `${root}/rest/services/${folder}${encodeURIComponent(s.name)}/${s.type || 'FeatureServer'}`;
}

/** A service URL of this server back to its folder, name and type; undefined for another URL. */
export function serviceOfUrl(root: string, url: string): ServiceRef | undefined {
  const prefix = `${root.toLowerCase()}/rest/services/`;
  if (!url.toLowerCase().startsWith(prefix)) return undefined;
  const parts = url
    .slice(prefix.length)
    .replace(/\/+$/, '')
    .split('/')
    .map((p) => decodeURIComponent(p));
  if (parts.length === 2) return { folder: '', name: parts[0]!, type: parts[1]! };
  if (parts.length === 3) return { folder: parts[0]!, name: parts[1]!, type: parts[2]! };
  return undefined;
}

/** An answer in the administrator shape {status:'error', messages} or the REST one {error:{…}}: its text. */
export function answerError(json: Json): string | undefined {
  // Callers go on with a sentence of their own: the server's closing full stop would double theirs.
  const sentence = (text: string) => text.trim().replace(/\.+$/, '');
  if (json.status === 'error')
    return sentence(Array.isArray(json.messages) ? json.messages.join(' ') : 'the server answered an error');
  if (json.error && typeof json.error === 'object') {
    const e = json.error as { message?: string; details?: unknown };
    const details = Array.isArray(e.details) ? ` ${e.details.join(' ')}` : '';
    return sentence(`${e.message ?? 'error'}${details}`);
  }
  return undefined;
}

/** Throws servers.federation_failed when a step's answer is an error. */
export function expectSuccess(json: Json, what: string): Json {
  const error = answerError(json);
  if (error) throw new MeridianError(ServerFederationFailed, `The GIS server refused ${what}: ${error}`);
  return json;
}
