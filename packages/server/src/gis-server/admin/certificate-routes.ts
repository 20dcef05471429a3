/**
 * machines/<machine>/sslcertificates: ArcGIS Server's certificate operations, done by the same
 * pki module and route handlers as the portal's portaladmin/security/sslCertificates (store,
 * trust store, CA, uploads, exports, checks and errors); these routes only adapt ArcGIS
 * Server's names and answers. Nothing is stored when an input is refused.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { route } from '../../http/route.ts';
import {
  ExportedFile,
  ExportParams,
  importExistingUpload,
  importSignedUpload,
  importTrustedUpload,
  sendExport,
} from '../../pki/module.ts';
import { certificateJson } from './certificate-json.ts';
import type { GisAdminContext } from './context.ts';
import { generateInput } from './generate-input.ts';
import { machineNamed } from './machine.ts';
import { CertificateAliasesJson, CsrJson, Done, ImportAnswer, MachineCertificateJson } from './schemas.ts';

const BASE = '/arcgis/admin/machines/:machine/sslcertificates';
const TAGS = ['gis-server admin', 'certificates'];
const str = (description: string) => Type.Optional(Type.String({ description }));
const bool = (description: string) => Type.Optional(Type.Boolean({ description }));
const SUCCESS = { status: 'success' } as const;

const pathOf = (req: FastifyRequest) => req.params as { machine: string; alias?: string };

export function registerCertificateRoutes(app: FastifyInstance, ctx: GisAdminContext): void {
  const machine = (req: FastifyRequest) => machineNamed(ctx, pathOf(req).machine);
  const alias = (req: FastifyRequest) => pathOf(req).alias!;
  // Every route names the machine: an unknown one is refused before any upload is read.
  const common = {
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    authorize: (req: FastifyRequest) => void machine(req),
  } as const;

  route(app, {
    ...common,
    method: ['GET', 'POST'],
    url: BASE,
    summary: "The aliases of the server's certificate store.",
    response: CertificateAliasesJson,
    handler: async () => ({ certificates: (await ctx.pki.certificates.list()).sslCertificates }),
  });

  route(app, {
    ...common,
    method: 'POST',
    url: `${BASE}/generate`,
    summary: "Generates a key and a certificate issued by the server's own CA.",
    params: Type.Object({
      alias: Type.String({ description: 'Name to store the key and certificate under.' }),
      keyalg: str('RSA (default) or EC.'),
      keysize: Type.Optional(Type.Integer({ description: 'RSA 2048, 3072 or 4096; EC 256 or 384.' })),
      sigalg: str('SHA256withRSA, SHA256withECDSA or SHA384withECDSA: the one the key implies.'),
      commonName: str('The host name clients type (default: the machine name).'),
      organizationalUnit: str('Organizational unit (OU).'),
      organization: str('Organization (O).'),
      city: str('City or locality (L).'),
      state: str('State or province (ST).'),
      country: str('Two-letter country code (C).'),
      validity: Type.Optional(Type.Integer({ description: 'Validity in days (default 90).' })),
      san: str(
        'Subject alternative names: comma list of DNS names and IP addresses (DNS:/IP: prefixes allowed).',
      ),
    }),
    response: Done,
    handler: async (req, a) => {
      const m = machine(req);
      await ctx.pki.certificates.generate(generateInput(a, m.machineName));
      return SUCCESS;
    },
  });

  route(app, {
    ...common,
    method: 'POST',
    url: `${BASE}/importRootOrIntermediate`,
    summary: "Adds root or intermediate CA certificates to the server's trust store.",
    params: Type.Object({
      alias: Type.String({
        description: 'Alias of the (first) certificate; a bundle adds alias-2, alias-3 …',
      }),
      rootCACertificate: str('The certificate as PEM text (or send it as a file part of this name).'),
      norestart: bool('Accepted for compatibility: Meridian never restarts.'),
    }),
    files: { rootCACertificate: 'The certificate file (PEM, DER, PKCS#7 or a PEM bundle).' },
    response: ImportAnswer,
    handler: async (req, a) => {
      const { aliases, notes } = await importTrustedUpload(ctx.pki.trust, req, a.alias, a, {
        file: 'rootCACertificate',
        text: 'rootCACertificate',
      });
      return { ...SUCCESS, aliases, notes };
    },
  });

  route(app, {
    ...common,
    method: 'POST',
    url: `${BASE}/importExistingServerCertificate`,
    summary: 'Imports a key and its certificate from a PKCS#12 (.pfx/.p12) file.',
    params: Type.Object({
      alias: Type.String({ description: 'Name to store the key and certificate under.' }),
      certPassword: str('Password of the PKCS#12 file.'),
      allowIncompleteChain: bool('Store a chain whose issuer is unknown (default false).'),
    }),
    files: { certFile: 'The .pfx/.p12 file.' },
    response: ImportAnswer,
    handler: async (req, a) => {
      const r = await importExistingUpload(ctx.pki.certificates, req, a.alias, a, { file: 'certFile' });
      return { ...SUCCESS, aliases: [r.alias], chainComplete: r.chainComplete, warnings: r.warnings };
    },
  });

  route(app, {
    ...common,
    method: ['GET', 'POST'],
    url: `${BASE}/:alias`,
    summary:
      'One certificate: names, validity, key and fingerprints (ArcGIS fields), and its pki description.',
    response: MachineCertificateJson,
    handler: async (req) => certificateJson(await ctx.pki.certificates.get(alias(req))),
  });

  route(app, {
    ...common,
    method: ['GET', 'POST'],
    url: `${BASE}/:alias/export`,
    summary: 'Downloads the certificate (DER .cer by default, or PEM); never the private key.',
    params: Type.Object(ExportParams),
    response: ExportedFile,
    handler: (req, a, reply) => sendExport(ctx.pki.certificates, alias(req), a, reply),
  });

  route(app, {
    ...common,
    method: ['GET', 'POST'],
    url: `${BASE}/:alias/generateCSR`,
    summary:
      "A certificate signing request (PKCS#10) for this alias's key, with its certificate's subject and names.",
    response: CsrJson,
    handler: async (req) => ({ certificateSigningRequest: await ctx.pki.certificates.csr(alias(req)) }),
  });

  route(app, {
    ...common,
    method: 'POST',
    url: `${BASE}/:alias/importCASignedCertificate`,
    summary:
      "Installs the CA's reply to this alias's CSR (PEM, DER or PKCS#7); served at once if the alias is in use.",
    params: Type.Object({
      caSignedCertificate: str(
        'The signed certificate as PEM text (or send it as a file part of this name).',
      ),
      allowIncompleteChain: bool('Store a chain whose issuer is unknown (default false).'),
      force: bool('For an alias in use: install a certificate that does not fit the names it serves.'),
    }),
    files: { caSignedCertificate: 'The signed certificate file.' },
    response: ImportAnswer,
    handler: async (req, a) => {
      const r = await importSignedUpload(ctx.pki.certificates, req, alias(req), a, {
        file: 'caSignedCertificate',
        text: 'caSignedCertificate',
      });
      return { ...SUCCESS, aliases: [r.alias], chainComplete: r.chainComplete, warnings: r.warnings };
    },
  });

  route(app, {
    ...common,
    method: 'POST',
    url: `${BASE}/:alias/delete`,
    summary: 'Deletes a certificate and its key (refused for the one the server serves).',
    response: Done,
    handler: async (req) => {
      await ctx.pki.certificates.delete(alias(req));
      return SUCCESS;
    },
  });
}
