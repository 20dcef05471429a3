/**
 * The portal's publishing calls to its hosting server, through the guarded client (the trust
 * store federation made trust the server, the address policy, limits): createService with the
 * data file as multipart, and the server's publish job. Each call takes the token to send, so
 * the caller mints a fresh one per call. A refused certificate is explained with the pki
 * diagnosis; no connection is servers.unreachable; an answer that is not JSON is
 * servers.not_a_meridian_server.
 */
import { randomBytes } from 'node:crypto';
import { isMeridianError, MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { PortalOutbound } from '../../pki/module.ts';
import { ServerNotMeridian, ServerUnreachable } from '../errors.ts';
import type { CertificateDiagnosis, Json } from '../server-client.ts';
import { untrustedError } from '../trust-server.ts';

/** A multipart part: a field, or a file with its name. */
export type Part = { name: string; value: string } | { name: string; filename: string; data: Uint8Array };

/** multipart/form-data of these parts, with a random boundary. */
export function multipartBody(parts: readonly Part[]): { body: Buffer; contentType: string } {
  const boundary = `----meridian${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  const quote = (s: string) => s.replace(/["\r\n\\]/g, '_');
  for (const p of parts) {
    const disposition = `form-data; name="${quote(p.name)}"${'filename' in p ? `; filename="${quote(p.filename)}"` : ''}`;
    const type = 'filename' in p ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push('data' in p ? Buffer.from(p.data) : Buffer.from(p.value, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** How long an upload of the data file may take in all. */
const UPLOAD_TIMEOUT_MS = 10 * 60_000;

export function publishClient(outbound: Pick<PortalOutbound, 'client'>) {
  async function call(
    url: string,
    token: string,
    send: { body: string | Buffer; contentType: string } | undefined,
  ): Promise<Json> {
    const target = new URL(url);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-esri-authorization': `Bearer ${token}`,
    };
    let res: Awaited<ReturnType<ReturnType<PortalOutbound['client']>['request']>>;
    try {
      res = await outbound.client().request(
        send ? url : `${url}?f=json`,
        send
          ? {
              method: 'POST',
              headers: { ...headers, 'content-type': send.contentType },
              body: send.body,
              timeoutMs: UPLOAD_TIMEOUT_MS,
              maxBytes: 1024 * 1024,
            }
          : { headers, maxBytes: 1024 * 1024 },
      );
    } catch (err) {
      if (!isMeridianError(err)) throw err;
      const diagnosis = (err.data as { diagnosis?: CertificateDiagnosis } | undefined)?.diagnosis;
      if (diagnosis && err.code.startsWith('trust.'))
        throw untrustedError(`${target.origin}${target.pathname}`, diagnosis, true);
      throw new MeridianError(
        ServerUnreachable,
        `The hosting server ${target.host} could not be reached: ${err.message} ${ServerUnreachable.fix}`,
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
  return {
    /** POST <adminUrl>/services/createService (multipart: service JSON, fileType, file). */
    createService: (
      adminUrl: string,
      token: string,
      service: { serviceName: string; folderName: string; description: string; type: 'FeatureServer' },
      file: { name: string; fileType: string; data: Uint8Array },
    ) =>
      call(
        `${adminUrl}/services/createService`,
        token,
        multipartBody([
          { name: 'f', value: 'json' },
          { name: 'service', value: JSON.stringify(service) },
          { name: 'fileType', value: file.fileType },
          { name: 'file', filename: file.name, data: file.data },
        ]),
      ),
    /** GET <adminUrl>/jobs/<id>: the server's job (status, progress, result, error). */
    job: (adminUrl: string, token: string, jobId: string) =>
      call(`${adminUrl}/jobs/${encodeURIComponent(jobId)}`, token, undefined),
  };
}

export type PublishClient = ReturnType<typeof publishClient>;
