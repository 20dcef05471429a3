/**
 * The portal's publishing calls to its hosting server, through the guarded client (the trust
 * store federation made trust the server, the address policy, limits): createService with the
 * data file as multipart, streamed from disk (never held whole), and the server's publish job.
 * Each call takes the token to send, so the caller mints a fresh one per call. A refused
 * certificate is explained with the pki diagnosis; no connection is servers.unreachable; an
 * answer that is not JSON is servers.not_a_meridian_server; a data file that cannot be read
 * while it goes, or a redirect (a streamed body is sent once), keeps its outbound.* error.
 */
import { OutboundRedirectNotReplayable, OutboundRequestBodyFailed } from '../../kernel/outbound/errors.ts';
import { type MultipartForm, multipartBody } from '../../kernel/outbound/multipart-body.ts';
import type { PortalOutbound } from '../../pki/module.ts';
import { CertificateRefused, type Json, serverRequest } from '../server-client.ts';
import { untrustedError } from '../trust-server.ts';

/** The data file to publish: a stored file (streamed from its path) or text kept in the item. */
export type PublishFile = { name: string; fileType: string; size: number } & (
  | { path: string }
  | { data: Uint8Array }
);

/** Errors of the upload itself, passed on as they are (they are not the server's unreachability). */
const UPLOAD_ERRORS = new Set([OutboundRequestBodyFailed.code, OutboundRedirectNotReplayable.code]);

/** How long an upload of the data file may take in all. */
const UPLOAD_TIMEOUT_MS = 10 * 60_000;

export function publishClient(outbound: Pick<PortalOutbound, 'client'>) {
  async function call(url: string, token: string, send: MultipartForm | undefined): Promise<Json> {
    const target = new URL(url);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-esri-authorization': `Bearer ${token}`,
    };
    const opts = { name: `The hosting server ${target.host}`, passThrough: UPLOAD_ERRORS };
    try {
      return send
        ? await serverRequest(
            outbound,
            url,
            {
              method: 'POST',
              headers: { ...headers, ...send.headers },
              body: send.body,
              timeoutMs: UPLOAD_TIMEOUT_MS,
              maxBytes: 1024 * 1024,
            },
            opts,
          )
        : await serverRequest(outbound, `${url}?f=json`, { headers, maxBytes: 1024 * 1024 }, opts);
    } catch (err) {
      if (err instanceof CertificateRefused)
        throw untrustedError(`${target.origin}${target.pathname}`, err.diagnosis, true);
      throw err;
    }
  }
  return {
    /** POST <adminUrl>/services/createService (multipart: service JSON, fileType, file streamed). */
    createService: async (
      adminUrl: string,
      token: string,
      service: { serviceName: string; folderName: string; description: string; type: 'FeatureServer' },
      file: PublishFile,
    ) =>
      call(
        `${adminUrl}/services/createService`,
        token,
        await multipartBody([
          { name: 'f', value: 'json' },
          { name: 'service', value: JSON.stringify(service) },
          { name: 'fileType', value: file.fileType },
          'path' in file
            ? { name: 'file', filename: file.name, path: file.path }
            : { name: 'file', filename: file.name, data: file.data },
        ]),
      ),
    /** GET <adminUrl>/jobs/<id>: the server's job (status, progress, result, error). */
    job: (adminUrl: string, token: string, jobId: string) =>
      call(`${adminUrl}/jobs/${encodeURIComponent(jobId)}`, token, undefined),
  };
}

export type PublishClient = ReturnType<typeof publishClient>;
