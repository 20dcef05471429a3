import { constants, createHash, type KeyObject, privateDecrypt } from 'node:crypto';

export type OaepHash = 'sha1' | 'sha256';

const H_LEN: Record<OaepHash, number> = { sha1: 20, sha256: 32 };

function mgf1(seed: Buffer, length: number, hash: OaepHash): Buffer {
  const out = Buffer.alloc(length);
  const counter = Buffer.alloc(4);
  for (let done = 0, i = 0; done < length; i++) {
    counter.writeUInt32BE(i);
    const block = createHash(hash).update(seed).update(counter).digest();
    block.copy(out, done, 0, Math.min(block.length, length - done));
    done += block.length;
  }
  return out;
}

/**
 * RSA-OAEP decryption (RFC 8017, 7.1.2). Node's OAEP uses one hash for the label digest and
 * MGF1, which covers rsa-oaep-mgf1p with SHA-1 and xmlenc11 rsa-oaep with matching hashes; XML
 * Encryption also allows MGF1-SHA1 with a SHA-256 digest (rsa-oaep-mgf1p + DigestMethod sha256),
 * decoded here from the raw RSA result. Every failure is the same `undefined`, whatever was
 * wrong, so that nothing tells a padding error from a label error.
 */
export function oaepDecrypt(
  key: KeyObject,
  ciphertext: Buffer,
  digest: OaepHash,
  mgf: OaepHash,
  label: Buffer | undefined,
): Buffer | undefined {
  try {
    if (digest === mgf)
      return privateDecrypt(
        { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: digest, oaepLabel: label },
        ciphertext,
      );
    const k = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
    const hLen = H_LEN[digest];
    if (ciphertext.length !== k || k < 2 * hLen + 2) return undefined;
    const em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertext);
    const maskedSeed = em.subarray(1, 1 + hLen);
    const maskedDb = em.subarray(1 + hLen);
    const seed = xor(maskedSeed, mgf1(maskedDb, hLen, mgf));
    const db = xor(maskedDb, mgf1(seed, k - hLen - 1, mgf));
    const lHash = createHash(digest)
      .update(label ?? Buffer.alloc(0))
      .digest();
    let bad = em[0]!;
    for (let i = 0; i < hLen; i++) bad |= db[i]! ^ lHash[i]!;
    // The first 0x01 after the zero padding, found without leaving the loop early.
    let start = 0;
    let seenOne = 0;
    for (let i = hLen; i < db.length; i++) {
      const isOne = db[i] === 1 ? 1 : 0;
      const isZero = db[i] === 0 ? 1 : 0;
      const first = isOne & (seenOne ^ 1);
      start = first ? i + 1 : start;
      bad |= (seenOne ^ 1) & (isOne ^ 1) & (isZero ^ 1);
      seenOne |= isOne;
    }
    bad |= seenOne ^ 1;
    return bad === 0 ? Buffer.from(db.subarray(start)) : undefined;
  } catch {
    return undefined;
  }
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}
