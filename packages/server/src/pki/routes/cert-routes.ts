import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import type { PkiContext } from '../context.ts';
import type { KeyAlgorithm } from '../keys.ts';
import {
  deleteStoredCertificate,
  exportStoredCertificate,
  type GenerateInput,
  generateStoredCertificate,
  generateStoredCsr,
  importExistingCertificate,
  importSignedReply,
} from '../store/cert-store.ts';
import { getCertificate, listCertificates } from '../store/cert-views.ts';
import { certificateInput } from './file-arg.ts';

const BASE = '/portaladmin/security/sslCertificates';
const TAGS = ['portaladmin', 'certificates'];
const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;

const SUBJECT_PARAMS = {
  cn: { ...str, description: 'Common name: the host name clients type, e.g. portal.example.com.' },
  org: { ...str, description: 'Organization (O).' },
  orgUnit: { ...str, description: 'Organizational unit (OU).' },
  city: { ...str, description: 'City or locality (L).' },
  state: { ...str, description: 'State or province (ST).' },
  country: { ...str, description: 'Two-letter country code (C).' },
  san: {
    ...str,
    description: 'Subject alternative names: comma list of DNS names and IP addresses (default: cn).',
  },
  keyAlg: { type: 'string', enum: ['RSA', 'EC'], description: 'Key algorithm (default RSA).' },
  keySize: { type: 'integer', description: 'RSA 2048, 3072 or 4096; EC 256 or 384.' },
};

interface SubjectArgs {
  cn?: string;
  org?: string;
  orgUnit?: string;
  city?: string;
  state?: string;
  country?: string;
  san?: string;
  keyAlg?: KeyAlgorithm;
  keySize?: number;
}

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
  route(app, {
    method: ['GET', 'POST'],
    url: BASE,
    summary: 'Lists the certificates of the certificate store and the HTTPS settings.',
    tags: TAGS,
    auth: 'admin',
    handler: () => listCertificates(ctx),
  });

  route(app, {
    method: ['GET', 'POST'],
    url: `${BASE}/:alias`,
    summary: 'Details of one certificate: names, validity, key, fingerprints and chain.',
    tags: TAGS,
    auth: 'admin',
    handler: (req) => getCertificate(ctx, aliasOf(req)),
  });

  route<SubjectArgs & { alias: string; validity?: number; signedBy?: 'self' | 'portalCA' }>(app, {
    method: 'POST',
    url: `${BASE}/generate`,
    summary: 'Generates a key and a certificate, issued by the portal CA (default) or self-signed.',
    tags: TAGS,
    auth: 'admin',
    params: {
      alias: { ...str, description: 'Name to store the key and certificate under.' },
      ...SUBJECT_PARAMS,
      validity: { type: 'integer', description: 'Validity in days (default 365).' },
      signedBy: { type: 'string', enum: ['self', 'portalCA'], description: 'Default portalCA.' },
    },
    required: ['alias', 'cn'],
    handler: async (_req, a) => {
      await generateStoredCertificate(ctx, {
        ...subjectInput(a),
        alias: a.alias,
        ...(a.validity ? { validityDays: a.validity } : {}),
        signedBy: a.signedBy ?? 'portalCA',
      });
      return { ...SUCCESS, alias: a.alias };
    },
  });

  route<SubjectArgs>(app, {
    method: 'POST',
    url: `${BASE}/:alias/generateCSR`,
    summary:
      'A certificate signing request (PKCS#10) for the key of this alias; for a new alias (with cn), the key is made and kept with a self-signed placeholder.',
    tags: TAGS,
    auth: 'admin',
    params: SUBJECT_PARAMS,
    handler: async (req, a) => {
      const csr = await generateStoredCsr(ctx, aliasOf(req), a.cn ? subjectInput(a) : undefined);
      return { ...SUCCESS, certificateSigningRequest: csr };
    },
  });

  route<{ certificate?: string; allowIncompleteChain?: boolean; force?: boolean }>(app, {
    method: 'POST',
    url: `${BASE}/:alias/importSignedCertificate`,
    summary: "Installs the CA's reply to this alias's CSR (PEM, DER or PKCS#7, with or without chain).",
    tags: TAGS,
    auth: 'admin',
    files: { file: 'The signed certificate as a multipart file part.' },
    params: {
      certificate: { ...str, description: 'The signed certificate as PEM text (instead of file).' },
      allowIncompleteChain: {
        ...bool,
        description: 'Store a chain whose issuer is unknown (default false).',
      },
      force: {
        ...bool,
        description:
          'For an alias in use: install a certificate that does not cover the names it serves, is expired or not yet valid, or lacks TLS server key usage (refused with pki.unsuitable_server_certificate otherwise).',
      },
    },
    handler: async (req, a) => {
      const data = await certificateInput(req, a, 'certificate');
      const r = await importSignedReply(ctx, aliasOf(req), data, {
        allowIncompleteChain: a.allowIncompleteChain,
        force: a.force,
      });
      return { ...SUCCESS, alias: r.alias, chainComplete: r.chainComplete, warnings: r.warnings };
    },
  });

  route<{ alias: string; certPassword?: string; allowIncompleteChain?: boolean }>(app, {
    method: 'POST',
    url: `${BASE}/importExistingServerCertificate`,
    summary:
      'Imports a key and its certificate: a PKCS#12 (.pfx/.p12) file with its password, or PEM key + chain.',
    tags: TAGS,
    auth: 'admin',
    files: { file: 'The .pfx/.p12 or PEM file as a multipart file part.' },
    params: {
      alias: { ...str, description: 'Name to store the key and certificate under.' },
      certPassword: { ...str, description: 'Password of the PKCS#12 file (or of an encrypted PEM key).' },
      allowIncompleteChain: {
        ...bool,
        description: 'Store a chain whose issuer is unknown (default false).',
      },
    },
    required: ['alias'],
    handler: async (req, a) => {
      const data = await certificateInput(req, a);
      const r = await importExistingCertificate(ctx, a.alias, data, a.certPassword, {
        allowIncompleteChain: a.allowIncompleteChain,
      });
      return { ...SUCCESS, alias: r.alias, chainComplete: r.chainComplete, warnings: r.warnings };
    },
  });

  route<{ format?: 'der' | 'pem'; includeChain?: boolean }>(app, {
    method: ['GET', 'POST'],
    url: `${BASE}/:alias/export`,
    summary: 'Downloads the certificate (DER .cer by default, or PEM); never the private key.',
    tags: TAGS,
    auth: 'admin',
    params: {
      format: { type: 'string', enum: ['der', 'pem'], description: 'Default der.' },
      includeChain: { ...bool, description: 'PEM only: add the issuers after the certificate.' },
    },
    handler: async (req, a, reply) => {
      const file = await exportStoredCertificate(
        ctx,
        aliasOf(req),
        a.format ?? 'der',
        a.includeChain ?? false,
      );
      return reply
        .header('Content-Disposition', `attachment; filename="${file.filename}"`)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'no-store')
        .type(file.contentType)
        .send(file.body);
    },
  });

  route(app, {
    method: 'POST',
    url: `${BASE}/:alias/delete`,
    summary: 'Deletes a certificate and its key (refused for the one in use).',
    tags: TAGS,
    auth: 'admin',
    handler: async (req) => {
      await deleteStoredCertificate(ctx, aliasOf(req));
      return SUCCESS;
    },
  });
}
