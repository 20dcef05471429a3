/**
 * What the certificate administrator routes do, whichever role serves them: the portal's
 * portaladmin/security/sslCertificates and the GIS server's machines/<m>/sslcertificates name
 * their parameters and shape their answers their own way, and hand the work to these.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fileResponse } from '../../http/route.ts';
import { StringEnum } from '../../http/schemas.ts';
import type { CertificateStore, TrustStore } from '../store/store-api.ts';
import { certificateInput } from './file-arg.ts';

/** Where a route takes an uploaded certificate or keystore: its file part, and its text field (pasted PEM) if it has one. */
export interface UploadFields {
  file: string;
  text?: string;
}

type Args = Record<string, unknown>;

/** The export route's parameters. */
export const ExportParams = {
  format: Type.Optional(StringEnum(['der', 'pem'], { description: 'Default der.' })),
  includeChain: Type.Optional(
    Type.Boolean({ description: 'PEM only: add the issuers after the certificate.' }),
  ),
};

/** The export route's answer: a file, never the private key. */
export const ExportedFile = fileResponse('The certificate: DER (.cer) or PEM (.pem).', [
  'application/pkix-cert',
  'application/x-pem-file',
]);

/** Sends the certificate under `alias` as a download (DER unless `format` is pem). */
export async function sendExport(
  certs: Pick<CertificateStore, 'export'>,
  alias: string,
  a: { format?: 'der' | 'pem'; includeChain?: boolean },
  reply: FastifyReply,
) {
  const file = await certs.export(alias, a.format ?? 'der', a.includeChain ?? false);
  return reply
    .header('Content-Disposition', `attachment; filename="${file.filename}"`)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'no-store')
    .type(file.contentType)
    .send(file.body);
}

/** Installs the uploaded CA reply to the CSR of `alias`. */
export async function importSignedUpload(
  certs: Pick<CertificateStore, 'importSigned'>,
  req: FastifyRequest,
  alias: string,
  a: Args & { allowIncompleteChain?: boolean; force?: boolean },
  fields: UploadFields,
) {
  const data = await certificateInput(req, a, fields.text, fields.file);
  return certs.importSigned(alias, data, { allowIncompleteChain: a.allowIncompleteChain, force: a.force });
}

/** Stores the uploaded key and certificate (PKCS#12, or PEM key + chain) under `alias`. */
export async function importExistingUpload(
  certs: Pick<CertificateStore, 'importExisting'>,
  req: FastifyRequest,
  alias: string,
  a: Args & { certPassword?: string; allowIncompleteChain?: boolean },
  fields: UploadFields,
) {
  const data = await certificateInput(req, a, fields.text, fields.file);
  return certs.importExisting(alias, data, a.certPassword, { allowIncompleteChain: a.allowIncompleteChain });
}

/** Adds the uploaded CA certificates to the trust store (a bundle: alias, alias-2, …). */
export async function importTrustedUpload(
  trust: Pick<TrustStore, 'import'>,
  req: FastifyRequest,
  alias: string,
  a: Args,
  fields: UploadFields,
) {
  const data = await certificateInput(req, a, fields.text, fields.file);
  return trust.import(alias, data);
}
