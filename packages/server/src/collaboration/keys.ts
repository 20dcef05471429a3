/**
 * This portal's collaboration key: an Ed25519 key pair made once (the first node to need it
 * stores it; every node of one database uses that one), its private half sealed with the
 * secrets box. It signs invitations, invitation responses and calls to partner portals.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.ts';

const CONTEXT = 'collaboration-key:self';

export interface CollaborationKey {
  /** SPKI DER, base64: what partners are given. */
  publicKey: string;
  sign(data: Buffer): string;
}

async function loadOrCreate(kernel: Pick<Kernel, 'db' | 'box' | 'clock'>): Promise<CollaborationKey> {
  const db = kernel.db.kysely;
  let row = await db.selectFrom('collaboration_keys').selectAll().where('id', '=', 'self').executeTakeFirst();
  if (!row) {
    const pair = generateKeyPairSync('ed25519');
    const values = {
      id: 'self',
      public_key: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      private_sealed: kernel.box.seal(pair.privateKey.export({ format: 'der', type: 'pkcs8' }), CONTEXT),
      created: kernel.clock.now(),
    };
    await db
      .insertInto('collaboration_keys')
      .values(values)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    row = await db
      .selectFrom('collaboration_keys')
      .selectAll()
      .where('id', '=', 'self')
      .executeTakeFirstOrThrow();
  }
  const key: KeyObject = createPrivateKey({
    key: kernel.box.open(row.private_sealed, CONTEXT),
    format: 'der',
    type: 'pkcs8',
  });
  return { publicKey: row.public_key, sign: (data) => sign(null, data, key).toString('base64url') };
}

/** The key, loaded (or made) at first use and kept. */
export function collaborationKey(
  kernel: Pick<Kernel, 'db' | 'box' | 'clock'>,
): () => Promise<CollaborationKey> {
  let loaded: Promise<CollaborationKey> | undefined;
  return () => {
    loaded ??= loadOrCreate(kernel).catch((err) => {
      loaded = undefined;
      throw err;
    });
    return loaded;
  };
}

/** A partner's public key from its base64 SPKI form (undefined when it is not an Ed25519 key). */
export function publicKeyOf(spkiBase64: string): KeyObject | undefined {
  try {
    const k = createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
    return k.asymmetricKeyType === 'ed25519' ? k : undefined;
  } catch {
    return undefined;
  }
}
