import {
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  type webcrypto,
  type X509Certificate,
} from 'node:crypto';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { InvalidCertificateRequest, InvalidPrivateKey, KeyWrongPassword } from './errors.ts';
import { toPem } from './pem.ts';
import { subtle } from './x509-provider.ts';

type CryptoKey = webcrypto.CryptoKey;

/** Key algorithms an administrator may choose, as ArcGIS names them (keyalg + keysize). */
export type KeyAlgorithm = 'RSA' | 'EC';
export interface KeySpec {
  keyAlg: KeyAlgorithm;
  /** RSA: 2048, 3072, 4096. EC: 256 (P-256) or 384 (P-384). */
  keySize: number;
}

export const RSA_SIZES = [2048, 3072, 4096] as const;
export const EC_SIZES: Record<number, 'P-256' | 'P-384'> = { 256: 'P-256', 384: 'P-384' };

export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The signature algorithm certificates and CSRs signed with this key use. */
  signingAlgorithm: webcrypto.AlgorithmIdentifier | webcrypto.EcdsaParams | webcrypto.RsaHashedImportParams;
}

export function checkKeySpec(spec: KeySpec): void {
  if (spec.keyAlg === 'RSA' && (RSA_SIZES as readonly number[]).includes(spec.keySize)) return;
  if (spec.keyAlg === 'EC' && EC_SIZES[spec.keySize]) return;
  throw new MeridianError(
    InvalidCertificateRequest,
    `Key algorithm ${spec.keyAlg} with size ${spec.keySize} is not offered: choose RSA 2048, 3072 or 4096, or EC 256 (P-256) or 384 (P-384).`,
  );
}

function webAlgorithm(spec: KeySpec): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams {
  if (spec.keyAlg === 'RSA')
    return {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: spec.keySize,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    };
  return { name: 'ECDSA', namedCurve: EC_SIZES[spec.keySize]! };
}

/** A new key pair; the private key as PKCS#8 PEM. */
export async function generateKey(spec: KeySpec): Promise<{ keyPem: string; key: SigningKey }> {
  checkKeySpec(spec);
  const pair = (await subtle.generateKey(webAlgorithm(spec), true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const keyPem = toPem('PRIVATE KEY', await subtle.exportKey('pkcs8', pair.privateKey));
  return { keyPem, key: { ...pair, signingAlgorithm: signingAlgorithmFor(spec) } };
}

function signingAlgorithmFor(spec: KeySpec): SigningKey['signingAlgorithm'] {
  if (spec.keyAlg === 'RSA')
    return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as webcrypto.RsaHashedImportParams;
  return { name: 'ECDSA', hash: spec.keySize === 384 ? 'SHA-384' : 'SHA-256' } as webcrypto.EcdsaParams;
}

/** Reads a PEM (or DER PKCS#8) private key; an encrypted key needs its password. */
export function readPrivateKey(key: string | Uint8Array, password?: string): KeyObject {
  try {
    if (typeof key !== 'string' && !Buffer.from(key).toString('latin1').includes('-----BEGIN'))
      return createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8', passphrase: password });
    return createPrivateKey({ key: Buffer.from(key).toString('utf8'), format: 'pem', passphrase: password });
  } catch (err) {
    const msg = String((err as Error).message);
    if (/passphrase|bad decrypt|interrupted or cancelled/i.test(msg)) {
      throw new MeridianError(
        KeyWrongPassword,
        password
          ? 'The private key is encrypted and this password does not open it.'
          : 'The private key is encrypted: give its password.',
        { cause: err },
      );
    }
    throw new MeridianError(InvalidPrivateKey, undefined, { cause: err, detail: msg });
  }
}

/** The key's algorithm and size, for keys made elsewhere (imports, CSRs for stored keys). */
export function keySpecOf(key: KeyObject): KeySpec {
  const type = key.asymmetricKeyType;
  const d = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') return { keyAlg: 'RSA', keySize: d.modulusLength ?? 0 };
  if (type === 'ec' && d.namedCurve === 'prime256v1') return { keyAlg: 'EC', keySize: 256 };
  if (type === 'ec' && d.namedCurve === 'secp384r1') return { keyAlg: 'EC', keySize: 384 };
  throw new MeridianError(
    InvalidPrivateKey,
    `The private key is ${type}${d.namedCurve ? ` on curve ${d.namedCurve}` : ''}: Meridian signs with RSA or EC P-256/P-384 keys.`,
  );
}

/** A stored private key as a WebCrypto signing key (for @peculiar/x509). */
export async function importSigningKey(keyPem: string | KeyObject): Promise<SigningKey> {
  const key = typeof keyPem === 'string' ? readPrivateKey(keyPem) : keyPem;
  const spec = keySpecOf(key);
  const alg =
    spec.keyAlg === 'RSA'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
      : { name: 'ECDSA', namedCurve: EC_SIZES[spec.keySize]! };
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const privateKey = await subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']);
  const publicKey = await subtle.importKey('spki', spki, alg, true, ['verify']);
  return { privateKey, publicKey, signingAlgorithm: signingAlgorithmFor(spec) };
}

/** True when the certificate carries the public half of this private key. */
export function certificateMatchesKey(cert: X509Certificate, key: KeyObject): boolean {
  const a = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const b = cert.publicKey.export({ format: 'der', type: 'spki' });
  return a.equals(b);
}

/** PKCS#8 PEM of any readable private key. */
export function toPkcs8Pem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}
