import {
  createHash,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  type KeyLike,
  KeyObject,
} from 'node:crypto';
import type { HashAlgorithm, SignatureAlgorithm } from 'xml-crypto';

/**
 * The XML signature algorithms accepted, by URI. SHA-1 (RSA-SHA1, SHA-1 digests) only for a
 * login configured for it; never HMAC, DSA or inclusive canonicalization. xml-crypto knows
 * RSA-SHA256/512 and SHA-256/512; RSA-SHA384, ECDSA and SHA-384 are added here (ECDSA
 * signature values are r‖s, as XML Signature 1.1 defines them).
 */
export const SIG = {
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha384: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  ecdsaSha384: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
  ecdsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512',
} as const;

export const DIGEST = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
} as const;

export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

type Alg = new () => SignatureAlgorithm;
type Digest = new () => HashAlgorithm;

function signatureAlgorithm(uri: string, hash: string, ecdsa: boolean): Alg {
  const dsaEncoding = ecdsa ? ('ieee-p1363' as const) : undefined;
  return class {
    getAlgorithmName() {
      return uri;
    }
    getSignature(signedInfo: string | Buffer, privateKey: KeyLike) {
      const key = privateKey instanceof KeyObject ? privateKey : createPrivateKey(privateKey);
      return createSign(hash).update(signedInfo).sign({ key, dsaEncoding }, 'base64');
    }
    /** A key of the wrong type (an EC certificate for an RSA signature) does not verify: false, not an error. */
    verifySignature(material: string, key: KeyLike, signatureValue: string) {
      try {
        const pub = key instanceof KeyObject ? key : createPublicKey(key);
        return createVerify(hash)
          .update(material)
          .verify({ key: pub, dsaEncoding }, signatureValue, 'base64');
      } catch {
        return false;
      }
    }
  } as unknown as Alg;
}

function digestAlgorithm(uri: string, hash: string): Digest {
  return class {
    getAlgorithmName() {
      return uri;
    }
    getHash(xml: string) {
      return createHash(hash).update(xml, 'utf8').digest('base64');
    }
  } as unknown as Digest;
}

const SIGNATURE_ALGORITHMS: Record<string, { alg: Alg; sha1: boolean }> = {
  [SIG.rsaSha1]: { alg: signatureAlgorithm(SIG.rsaSha1, 'RSA-SHA1', false), sha1: true },
  [SIG.rsaSha256]: { alg: signatureAlgorithm(SIG.rsaSha256, 'RSA-SHA256', false), sha1: false },
  [SIG.rsaSha384]: { alg: signatureAlgorithm(SIG.rsaSha384, 'RSA-SHA384', false), sha1: false },
  [SIG.rsaSha512]: { alg: signatureAlgorithm(SIG.rsaSha512, 'RSA-SHA512', false), sha1: false },
  [SIG.ecdsaSha256]: { alg: signatureAlgorithm(SIG.ecdsaSha256, 'SHA256', true), sha1: false },
  [SIG.ecdsaSha384]: { alg: signatureAlgorithm(SIG.ecdsaSha384, 'SHA384', true), sha1: false },
  [SIG.ecdsaSha512]: { alg: signatureAlgorithm(SIG.ecdsaSha512, 'SHA512', true), sha1: false },
};

const DIGEST_ALGORITHMS: Record<string, { alg: Digest; sha1: boolean }> = {
  [DIGEST.sha1]: { alg: digestAlgorithm(DIGEST.sha1, 'sha1'), sha1: true },
  [DIGEST.sha256]: { alg: digestAlgorithm(DIGEST.sha256, 'sha256'), sha1: false },
  [DIGEST.sha384]: { alg: digestAlgorithm(DIGEST.sha384, 'sha384'), sha1: false },
  [DIGEST.sha512]: { alg: digestAlgorithm(DIGEST.sha512, 'sha512'), sha1: false },
};

/** The signature algorithms allowed for a login: what xml-crypto gets, and nothing more. */
export function allowedSignatureAlgorithms(allowSha1: boolean): Record<string, Alg> {
  return Object.fromEntries(
    Object.entries(SIGNATURE_ALGORITHMS)
      .filter(([, a]) => allowSha1 || !a.sha1)
      .map(([uri, a]) => [uri, a.alg]),
  );
}

export function allowedDigestAlgorithms(allowSha1: boolean): Record<string, Digest> {
  return Object.fromEntries(
    Object.entries(DIGEST_ALGORITHMS)
      .filter(([, a]) => allowSha1 || !a.sha1)
      .map(([uri, a]) => [uri, a.alg]),
  );
}

/** A short name for traces: the URI's fragment (rsa-sha256). */
export function shortName(uri: string): string {
  return uri.slice(uri.lastIndexOf('#') + 1) || uri;
}
