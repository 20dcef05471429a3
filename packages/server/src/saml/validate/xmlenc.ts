import { createDecipheriv, createPrivateKey, type KeyObject } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import {
  SamlDecryptionFailed,
  SamlEncryptionAlgorithmRefused,
  SamlEncryptionRsa15Refused,
} from './errors.ts';
import { type OaepHash, oaepDecrypt } from './oaep.ts';
import { attr, child, children, NS, text } from './xml.ts';

/** XML Encryption algorithms: the allowed ones, and RSA 1.5 (refused with its own code). */
export const XENC = {
  rsa15: 'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
  rsaOaepMgf1p: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  rsaOaep: 'http://www.w3.org/2009/xmlenc11#rsa-oaep',
  mgf1sha1: 'http://www.w3.org/2009/xmlenc11#mgf1sha1',
  mgf1sha256: 'http://www.w3.org/2009/xmlenc11#mgf1sha256',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  aes128gcm: 'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  aes256gcm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  aes128cbc: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  aes256cbc: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
} as const;

const CONTENT: Record<string, { cipher: string; keyLength: number; gcm: boolean }> = {
  [XENC.aes128gcm]: { cipher: 'aes-128-gcm', keyLength: 16, gcm: true },
  [XENC.aes256gcm]: { cipher: 'aes-256-gcm', keyLength: 32, gcm: true },
  [XENC.aes128cbc]: { cipher: 'aes-128-cbc', keyLength: 16, gcm: false },
  [XENC.aes256cbc]: { cipher: 'aes-256-cbc', keyLength: 32, gcm: false },
};

const DIGESTS: Record<string, OaepHash> = { [XENC.sha1]: 'sha1', [XENC.sha256]: 'sha256' };
const MGFS: Record<string, OaepHash> = { [XENC.mgf1sha1]: 'sha1', [XENC.mgf1sha256]: 'sha256' };

function algorithmRefused(what: string, uri: string | undefined): MeridianError {
  return new MeridianError(
    SamlEncryptionAlgorithmRefused,
    `The encrypted assertion's ${what} is ${uri ? JSON.stringify(uri.slice(0, 120)) : 'not given'}, which is not allowed. ${SamlEncryptionAlgorithmRefused.fix}`,
  );
}

/** One failure for every way decryption can fail: nothing distinguishes a padding error (no oracle). */
function failed(detail: string): MeridianError {
  return new MeridianError(
    SamlDecryptionFailed,
    `The encrypted assertion could not be decrypted with the SP's key(s). ${SamlDecryptionFailed.fix}`,
    { detail },
  );
}

function cipherValue(el: Element): Buffer {
  const value =
    child(el, NS.xenc, 'CipherData') && child(child(el, NS.xenc, 'CipherData')!, NS.xenc, 'CipherValue');
  if (!value) throw failed('no CipherValue');
  return Buffer.from(text(value).replace(/\s+/g, ''), 'base64');
}

interface KeyTransport {
  digest: OaepHash;
  mgf: OaepHash;
  label: Buffer | undefined;
  ciphertext: Buffer;
}

/** An EncryptedKey's method: RSA-OAEP only (its digest and MGF allowed), RSA 1.5 refused. */
function keyTransport(encryptedKey: Element): KeyTransport {
  const method = child(encryptedKey, NS.xenc, 'EncryptionMethod');
  const uri = method && attr(method, 'Algorithm');
  if (uri === XENC.rsa15)
    throw new MeridianError(
      SamlEncryptionRsa15Refused,
      `The assertion's key is encrypted with RSA PKCS#1 v1.5. ${SamlEncryptionRsa15Refused.fix}`,
    );
  if (!method || (uri !== XENC.rsaOaepMgf1p && uri !== XENC.rsaOaep))
    throw algorithmRefused('key transport', uri);
  const digestEl = child(method, NS.ds, 'DigestMethod');
  const digestUri = digestEl ? attr(digestEl, 'Algorithm') : XENC.sha1;
  const digest = digestUri === undefined ? undefined : DIGESTS[digestUri];
  if (!digest) throw algorithmRefused('key transport digest', digestUri);
  let mgf: OaepHash = 'sha1';
  const mgfEl = child(method, NS.xenc11, 'MGF');
  if (mgfEl) {
    if (uri !== XENC.rsaOaep)
      throw algorithmRefused(
        'mask generation function (only with xmlenc11 rsa-oaep)',
        attr(mgfEl, 'Algorithm'),
      );
    const mgfUri = attr(mgfEl, 'Algorithm');
    const found = mgfUri === undefined ? undefined : MGFS[mgfUri];
    if (!found) throw algorithmRefused('mask generation function', mgfUri);
    mgf = found;
  }
  const params = child(method, NS.xenc, 'OAEPparams');
  const label = params ? Buffer.from(text(params), 'base64') : undefined;
  return { digest, mgf, label, ciphertext: cipherValue(encryptedKey) };
}

/** The EncryptedKeys of an EncryptedAssertion: inside EncryptedData's KeyInfo, or beside it. */
function encryptedKeys(encryptedAssertion: Element, encryptedData: Element): Element[] {
  const keyInfo = child(encryptedData, NS.ds, 'KeyInfo');
  return [
    ...(keyInfo ? children(keyInfo, NS.xenc, 'EncryptedKey') : []),
    ...children(encryptedAssertion, NS.xenc, 'EncryptedKey'),
  ];
}

function decryptContent(uri: string, key: Buffer, data: Buffer): Buffer | undefined {
  const alg = CONTENT[uri]!;
  if (key.length !== alg.keyLength) return undefined;
  try {
    if (alg.gcm) {
      if (data.length < 12 + 16) return undefined;
      const d = createDecipheriv(alg.cipher as 'aes-256-gcm', key, data.subarray(0, 12), {
        authTagLength: 16,
      });
      d.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([d.update(data.subarray(12, data.length - 16)), d.final()]);
    }
    if (data.length < 32 || data.length % 16 !== 0) return undefined;
    const d = createDecipheriv(alg.cipher, key, data.subarray(0, 16)).setAutoPadding(false);
    const padded = Buffer.concat([d.update(data.subarray(16)), d.final()]);
    // XML Encryption padding: the last byte says how many bytes to drop (the others are arbitrary).
    const pad = padded[padded.length - 1]!;
    return pad >= 1 && pad <= 16 ? padded.subarray(0, padded.length - pad) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decrypts a saml:EncryptedAssertion with the SP's private keys (each in turn: two during a
 * rollover): key transport RSA-OAEP, content AES-GCM or AES-CBC. Returns the plaintext XML,
 * which is parsed and verified like any other untrusted input.
 */
export function decryptAssertion(encryptedAssertion: Element, privateKeys: readonly string[]): string {
  const data = child(encryptedAssertion, NS.xenc, 'EncryptedData');
  if (!data) throw failed('no EncryptedData');
  const method = child(data, NS.xenc, 'EncryptionMethod');
  const contentUri = method && attr(method, 'Algorithm');
  if (!contentUri || !Object.hasOwn(CONTENT, contentUri))
    throw algorithmRefused('content encryption', contentUri);
  const transports = encryptedKeys(encryptedAssertion, data).map(keyTransport);
  if (!transports.length) throw failed('no EncryptedKey');
  const ciphertext = cipherValue(data);
  const keys: KeyObject[] = [];
  for (const pem of privateKeys) {
    try {
      keys.push(createPrivateKey(pem));
    } catch {
      // A key that cannot be read is skipped; none left is a failure below.
    }
  }
  for (const t of transports)
    for (const key of keys) {
      if (key.asymmetricKeyType !== 'rsa') continue;
      const contentKey = oaepDecrypt(key, t.ciphertext, t.digest, t.mgf, t.label);
      if (!contentKey) continue;
      const plain = decryptContent(contentUri, contentKey, ciphertext);
      if (!plain) throw failed('the content did not decrypt');
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(plain);
      } catch {
        throw failed('the plaintext is not UTF-8');
      }
    }
  throw failed(keys.length ? 'no SP key decrypts the content key' : 'no usable SP key');
}
