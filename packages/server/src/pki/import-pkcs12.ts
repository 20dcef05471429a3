import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import type Forge from 'node-forge';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { completeChain } from './complete-chain.ts';
import { derCompleteness, looksLikeDer } from './der.ts';
import { type CertificateDetails, describeCertificate } from './describe-certificate.ts';
import {
  KeyMismatch,
  NoPrivateKey,
  NotACertificate,
  Pkcs12Invalid,
  Pkcs12Truncated,
  Pkcs12WrongPassword,
} from './errors.ts';
import { certificateMatchesKey, readPrivateKey, toPkcs8Pem } from './keys.ts';
import { certificatesToPem, parseCertificateFile } from './parse-certificates.ts';
import { pemBlocks } from './pem.ts';

/** node-forge (~0.9 MB of source) is loaded by the first PKCS#12 import, not with every server. */
let forgeLoaded: typeof Forge | undefined;
const loadForge = (): typeof Forge =>
  (forgeLoaded ??= createRequire(import.meta.url)('node-forge') as typeof Forge);

export interface ImportKeyOptions {
  /** Trust store entries (PEM) used to complete the chain. */
  trustAnchors?: readonly string[];
  /** Accept a chain that cannot be completed. Default false. */
  allowIncompleteChain?: boolean;
}

export interface ImportedKeyAndCertificate {
  /** PKCS#8 PEM; the caller seals it before storing. */
  keyPem: string;
  certPem: string;
  /** Issuers leaf → root, PEM. */
  chainPem: string;
  chain: CertificateDetails[];
  chainComplete: boolean;
  /** The alias the file suggests (PKCS#12 friendlyName), if any. */
  friendlyName?: string;
  warnings: string[];
}

/**
 * Imports a key and its certificate from a PKCS#12 file (.pfx/.p12: OpenSSL 3's default
 * AES-256-CBC/PBKDF2, and -legacy RC2-40/3DES) or from PEM (key + certificate + chain,
 * in one text or several).
 */
export function importKeyAndCertificate(
  data: string | Uint8Array,
  password: string | undefined,
  opts: ImportKeyOptions = {},
): ImportedKeyAndCertificate {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (buf.toString('latin1').includes('-----BEGIN '))
    return importPemKeyAndCertificates(buf.toString('utf8'), password, opts);
  return importPkcs12(buf, password ?? '', opts);
}

export function importPkcs12(
  data: Uint8Array,
  password: string,
  opts: ImportKeyOptions = {},
): ImportedKeyAndCertificate {
  const buf = Buffer.from(data);
  if (buf[0] === 0x30 && (derCompleteness(buf) === 'truncated' || !looksLikeDer(buf))) {
    throw new MeridianError(
      Pkcs12Truncated,
      `The PKCS#12 file is truncated: it holds only ${buf.length} bytes, fewer than it declares.`,
    );
  }
  if (!looksLikeDer(buf)) {
    throw new MeridianError(
      Pkcs12Invalid,
      buf.length === 0
        ? 'The file is empty: expected a PKCS#12 (.pfx/.p12) file.'
        : 'The file is not a PKCS#12 (.pfx/.p12) file: it is not binary ASN.1 (a PEM file? upload it as PEM key and certificate).',
    );
  }
  const forge = loadForge();
  const p12 = decodePkcs12(forge, buf, password);
  const keys: KeyObject[] = [];
  const certs: X509Certificate[] = [];
  let friendlyName: string | undefined;
  for (const safe of p12.safeContents) {
    for (const bag of safe.safeBags) {
      if (bag.type === forge.pki.oids.certBag) {
        const asn = bag.cert
          ? forge.pki.certificateToAsn1(bag.cert)
          : (bag.asn1 as Forge.asn1.Asn1 | undefined);
        if (asn) certs.push(new X509Certificate(Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary')));
      } else if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        const asn = bag.key
          ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))
          : (bag.asn1 as Forge.asn1.Asn1 | undefined);
        if (!asn) continue;
        const der = Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
        keys.push(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
        friendlyName ??= bag.attributes?.friendlyName?.[0];
      }
    }
  }
  return assemble(keys, certs, opts, friendlyName);
}

function decodePkcs12(forge: typeof Forge, buf: Buffer, password: string): Forge.pkcs12.Pkcs12Pfx {
  let asn: Forge.asn1.Asn1;
  try {
    asn = forge.asn1.fromDer(forge.util.createBuffer(buf.toString('binary')), false);
  } catch (err) {
    const msg = (err as Error).message;
    if (/too few bytes/i.test(msg))
      throw new MeridianError(Pkcs12Truncated, undefined, { cause: err, detail: msg });
    throw new MeridianError(Pkcs12Invalid, undefined, { cause: err, detail: msg });
  }
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn, false, password);
  } catch (err) {
    const msg = (err as Error).message;
    if (/MAC could not be verified|wrong password|Invalid password/i.test(msg))
      throw new MeridianError(Pkcs12WrongPassword, undefined, { cause: err, detail: msg });
    if (/too few bytes/i.test(msg))
      throw new MeridianError(Pkcs12Truncated, undefined, { cause: err, detail: msg });
    throw new MeridianError(
      Pkcs12Invalid,
      `The file is not a PKCS#12 keystore Meridian can read (${msg}). Export it again with openssl pkcs12 -export, or upload PEM key and certificate.`,
      { cause: err, detail: msg },
    );
  }
}

/** PEM: private key block(s) and certificate block(s), in one text (or key and certificates joined). */
export function importPemKeyAndCertificates(
  text: string,
  password: string | undefined,
  opts: ImportKeyOptions = {},
): ImportedKeyAndCertificate {
  const keyBlocks = pemBlocks(text).filter((b) => /PRIVATE KEY$/.test(b.label));
  const keys = keyBlocks.length ? extractPemKeys(text).map((k) => readPrivateKey(k, password)) : [];
  let certs: X509Certificate[] = [];
  try {
    certs = parseCertificateFile(text).certificates;
  } catch (err) {
    if (!(err instanceof MeridianError && err.code === NotACertificate.code && keys.length)) throw err;
  }
  return assemble(keys, certs, opts, undefined);
}

/** The PEM text of each private key block, headers included (encrypted traditional keys need them). */
function extractPemKeys(text: string): string[] {
  const re = /-----BEGIN ((?:[A-Z]+ )?(?:ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/g;
  return [...text.matchAll(re)].map((m) => m[0]);
}

function assemble(
  keys: KeyObject[],
  certs: X509Certificate[],
  opts: ImportKeyOptions,
  friendlyName: string | undefined,
): ImportedKeyAndCertificate {
  if (certs.length === 0) {
    throw new MeridianError(
      NotACertificate,
      keys.length
        ? 'The file holds a private key but no certificate: add the certificate issued for it.'
        : 'The file holds neither a private key nor a certificate.',
    );
  }
  if (keys.length === 0) {
    throw new MeridianError(
      NoPrivateKey,
      `The file holds the certificate "${describeCertificate(certs[0]!).subject}" but no private key. Export it again with its private key, or import it as a trusted certificate instead.`,
    );
  }
  let key: KeyObject | undefined;
  let leaf: X509Certificate | undefined;
  for (const k of keys) {
    leaf = certs.find((c) => certificateMatchesKey(c, k));
    if (leaf) {
      key = k;
      break;
    }
  }
  if (!key || !leaf) {
    throw new MeridianError(
      KeyMismatch,
      `None of the ${certs.length} certificate(s) in the file matches its private key: the key belongs to another certificate. Put the key together with the certificate issued for it.`,
    );
  }
  const done = completeChain(
    leaf,
    certs.filter((c) => c !== leaf),
    opts.trustAnchors ?? [],
    opts.allowIncompleteChain,
  );
  const chain = done.chain.map((c) => describeCertificate(c));
  return {
    keyPem: toPkcs8Pem(key),
    certPem: certificatesToPem([leaf]),
    chainPem: certificatesToPem(done.chain.slice(1)),
    chain,
    chainComplete: done.complete,
    ...(friendlyName ? { friendlyName } : {}),
    warnings: done.warnings,
  };
}
