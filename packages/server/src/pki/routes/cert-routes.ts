import { type Static, type TObject, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import { StringEnum } from '../../http/schemas.ts';
import type { PkiContext } from '../context.ts';
import {
  CertificateJson,
  CertificateListJson,
  CsrAnswer,
  GenerateCertificateAnswer,
  ImportCertificateAnswer,
  PkiSuccess,
} from '../schemas.ts';
import type { GenerateInput } from '../store/cert-store.ts';
import { certificateStore } from '../store/store-api.ts';
import {
  ExportedFile,
  ExportParams,
  importExistingUpload,
  importSignedUpload,
  sendExport,
} from './cert-handlers.ts';

const BASE = '/portaladmin/security/sslCertificates';
const TAGS = ['portaladmin', 'certificates'];
const str = (description: string) => Type.Optional(Type.String({ description }));
const bool = (description: string) => Type.Optional(Type.Boolean({ description }));

const SUBJECT_PARAMS = {
  cn: str('Common name: the host name clients type, e.g. portal.example.com.'),
  org: str('Organization (O).'),
  orgUnit: str('Organizational unit (OU).'),
  city: str('City or locality (L).'),
  state: str('State or province (ST).'),
  country: str('Two-letter country code (C).'),
  san: str('Subject alternative names: comma list of DNS names and IP addresses (default: cn).'),
  keyAlg: Type.Optional(StringEnum(['RSA', 'EC'], { description: 'Key algorithm (default RSA).' })),
  keySize: Type.Optional(Type.Integer({ description: 'RSA 2048, 3072 or 4096; EC 256 or 384.' })),
};

type SubjectArgs = Static<TObject<typeof SUBJECT_PARAMS>>;

const SUCCESS = { status: 'success' } as const;

const aliasOf = (req: { params: unknown }) => (req.params as { alias: string }).alias;

function subjectInput(a: SubjectArgs): Omit<GenerateInput, 'alias'> {
  return {
    cn: a.cn ?? '',
    org: a.org,
    orgUnit: a.orgUnit,
    city: a.city,
    state: a.state,
    country: a.country,
    ...(a.san?.trim() ? { san: a.san.split(',') } : {}),
    ...(a.keyAlg ? { keyAlg: a.keyAlg } : {}),
    ...(a.keySize ? { keySize: a.keySize } : {}),
  };
}

/** portaladmin/security/sslCertificates: the certificates (with keys) the portal serves. */
export async function registerCertRoutes(app: FastifyInstance, ctx: PkiContext): Promise<void> {
  const certs = certificateStore(ctx);
  route(app, {
    method: ['GET', 'POST'],
    url: BASE,
    summary: 'Lists the certificates of the certificate store and the HTTPS settings.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: CertificateListJson,
    handler: () => certs.list(),
  });

  route(app, {
    method: ['GET', 'POST'],
    url: `${BASE}/:alias`,
    summary: 'Details of one certificate: names, validity, key, fingerprints and chain.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: CertificateJson,
    handler: (req) => certs.get(aliasOf(req)),
  });

  route(app, {
    method: 'POST',
    url: `${BASE}/generate`,
    summary: 'Generates a key and a certificate, issued by the portal CA (default) or self-signed.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({
      alias: Type.String({ description: 'Name to store the key and certificate under.' }),
      ...SUBJECT_PARAMS,
      cn: Type.String({ description: 'Common name: the host name clients type, e.g. portal.example.com.' }),
      validity: Type.Optional(Type.Integer({ description: 'Validity in days (default 365).' })),
      signedBy: Type.Optional(StringEnum(['self', 'portalCA'], { description: 'Default portalCA.' })),
    }),
    response: GenerateCertificateAnswer,
    handler: async (_req, a) => {
      await certs.generate({
        ...subjectInput(a),
        alias: a.alias,
        ...(a.validity ? { validityDays: a.validity } : {}),
        signedBy: a.signedBy ?? 'portalCA',
      });
      return { ...SUCCESS, alias: a.alias };
    },
  });

  route(app, {
    method: 'POST',
    url: `${BASE}/:alias/generateCSR`,
    summary:
      'A certificate signing request (PKCS#10) for the key of this alias; for a new alias (with cn), the key is made and kept with a self-signed placeholder.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object(SUBJECT_PARAMS),
    response: CsrAnswer,
    handler: async (req, a) => {
      const csr = await certs.csr(aliasOf(req), a.cn ? subjectInput(a) : undefined);
      return { ...SUCCESS, certificateSigningRequest: csr };
    },
  });

  route(app, {
    method: 'POST',
    url: `${BASE}/:alias/importSignedCertificate`,
    summary: "Installs the CA's reply to this alias's CSR (PEM, DER or PKCS#7, with or without chain).",
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    files: { file: 'The signed certificate as a multipart file part.' },
    params: Type.Object({
      certificate: str('The signed certificate as PEM text (instead of file).'),
      allowIncompleteChain: bool('Store a chain whose issuer is unknown (default false).'),
      force: bool(
        'For an alias in use: install a certificate that does not cover the names it serves, is expired or not yet valid, or lacks TLS server key usage (refused with pki.unsuitable_server_certificate otherwise).',
      ),
    }),
    response: ImportCertificateAnswer,
    handler: async (req, a) => {
      const r = await importSignedUpload(certs, req, aliasOf(req), a, { file: 'file', text: 'certificate' });
      return { ...SUCCESS, alias: r.alias, chainComplete: r.chainComplete, warnings: r.warnings };
    },
  });

  route(app, {
    method: 'POST',
    url: `${BASE}/importExistingServerCertificate`,
    summary:
      'Imports a key and its certificate: a PKCS#12 (.pfx/.p12) file with its password, or PEM key + chain.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    files: { file: 'The .pfx/.p12 or PEM file as a multipart file part.' },
    params: Type.Object({
      alias: Type.String({ description: 'Name to store the key and certificate under.' }),
      certPassword: str('Password of the PKCS#12 file (or of an encrypted PEM key).'),
      allowIncompleteChain: bool('Store a chain whose issuer is unknown (default false).'),
    }),
    response: ImportCertificateAnswer,
    handler: async (req, a) => {
      const r = await importExistingUpload(certs, req, a.alias, a, { file: 'file' });
      return { ...SUCCESS, alias: r.alias, chainComplete: r.chainComplete, warnings: r.warnings };
    },
  });

  route(app, {
    method: ['GET', 'POST'],
    url: `${BASE}/:alias/export`,
    summary: 'Downloads the certificate (DER .cer by default, or PEM); never the private key.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object(ExportParams),
    response: ExportedFile,
    handler: (req, a, reply) => sendExport(certs, aliasOf(req), a, reply),
  });

  route(app, {
    method: 'POST',
    url: `${BASE}/:alias/delete`,
    summary: 'Deletes a certificate and its key (refused for the one in use).',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: PkiSuccess,
    handler: async (req) => {
      await certs.delete(aliasOf(req));
      return SUCCESS;
    },
  });
}
