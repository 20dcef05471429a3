import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { defineError, MeridianError } from '../errors/meridian-error.ts';

const SecretUndecryptable = defineError({
  code: 'secrets.undecryptable',
  status: 500,
  summary: "A secret stored in the database cannot be decrypted with this node's secrets key.",
  fix: 'Every node sharing one database needs the same <home>/secrets.key file: copy it from the first node.',
});

const SecretKeyInvalid = defineError({
  code: 'secrets.key_invalid',
  status: 500,
  summary: 'The secrets key file is not 32 random bytes encoded in base64.',
  fix: 'Restore <home>/secrets.key from a backup (or from another node); without it, stored private keys are lost.',
});

/**
 * Encrypts secrets at rest (private keys, signing keys) with AES-256-GCM under a key kept
 * in a file outside the database. Ciphertexts are self-describing: "v1.<iv>.<tag>.<data>".
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new MeridianError(SecretKeyInvalid);
    this.#key = key;
  }

  /** Loads the key file, creating it (mode 0600) when it does not exist yet. */
  static openOrCreate(path: string): SecretBox {
    if (!existsSync(path)) {
      writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
    }
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    return new SecretBox(key);
  }

  seal(plain: string | Uint8Array, context = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context));
    const data = Buffer.concat([cipher.update(plain), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      data.toString('base64url'),
    ].join('.');
  }

  open(sealed: string, context = ''): Buffer {
    const [v, iv, tag, data] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || data === undefined)
      throw new MeridianError(SecretUndecryptable, undefined, { detail: 'bad format' });
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
    } catch (err) {
      throw new MeridianError(SecretUndecryptable, undefined, { cause: err });
    }
  }

  openText(sealed: string, context = ''): string {
    return this.open(sealed, context).toString('utf8');
  }
}
