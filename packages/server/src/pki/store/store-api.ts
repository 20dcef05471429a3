/**
 * The certificate store and the trust store bound to one pki context: the pki module's API
 * exposes them as `certificates` and `trust`, and the administrator route handlers
 * (routes/cert-handlers.ts) work on them, for the portal's routes and the GIS server's alike.
 */
import { bind } from '../bind.ts';
import type { PkiContext } from '../context.ts';
import {
  deleteStoredCertificate,
  exportStoredCertificate,
  generateStoredCertificate,
  generateStoredCsr,
  importExistingCertificate,
  importSignedReply,
} from './cert-store.ts';
import { getCertificate, listCertificates } from './cert-views.ts';
import { trustConfirmedCertificate, trustPresentedCertificate } from './trust-presented.ts';
import { getTrustEntry, importTrustedCertificates, listTrustStore, removeTrusted } from './trust-store.ts';

/** The certificates (with keys) this node serves or may serve. */
export function certificateStore(ctx: PkiContext) {
  return {
    list: () => listCertificates(ctx),
    get: bind(ctx, getCertificate),
    generate: bind(ctx, generateStoredCertificate),
    csr: bind(ctx, generateStoredCsr),
    importSigned: bind(ctx, importSignedReply),
    importExisting: bind(ctx, importExistingCertificate),
    export: bind(ctx, exportStoredCertificate),
    delete: bind(ctx, deleteStoredCertificate),
  };
}

/** The certificates this node trusts when it calls out. */
export function trustStore(ctx: PkiContext) {
  return {
    list: () => listTrustStore(ctx),
    get: bind(ctx, getTrustEntry),
    import: bind(ctx, importTrustedCertificates),
    remove: bind(ctx, removeTrusted),
    /** "Trust this": imports what a diagnosis of `url` suggests, once its fingerprint is confirmed. */
    trustPresented: bind(ctx, trustPresentedCertificate),
    /** A partner's certificate confirmed by its fingerprint, among those its refused connection presented. */
    trustConfirmed: bind(ctx, trustConfirmedCertificate),
  };
}

export type CertificateStore = ReturnType<typeof certificateStore>;
export type TrustStore = ReturnType<typeof trustStore>;
