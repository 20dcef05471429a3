import type { Kernel } from '../../kernel/kernel.ts';

/** The federation as this server keeps it (the secret open, in memory only). */
export interface Federation {
  portalUrl: string;
  portalId: string;
  /** The id the portal gave this server (its tokens' kid is `fs<serverId>`). */
  serverId: string;
  secret: Buffer;
  /** The trust store entries this federation added (removed when it ends). */
  trustAliases: string[];
  /** When it was made, epoch ms. */
  since: number;
}

interface StoredFederation extends Omit<Federation, 'secret'> {
  secretSealed: string;
}

const KEY = 'federation';
const sealContext = (portalId: string) => `gis_federation:${portalId}`;

/**
 * The federation row: one gis_server_settings value (JSON), the shared secret sealed with the
 * secrets box, so that a restart (of any node) finds it and a database dump does not reveal it.
 */
export async function readFederation(kernel: Pick<Kernel, 'db' | 'box'>): Promise<Federation | undefined> {
  const row = await kernel.db.kysely
    .selectFrom('gis_server_settings')
    .select('value')
    .where('key', '=', KEY)
    .executeTakeFirst();
  if (!row) return undefined;
  const { secretSealed, ...rest } = JSON.parse(row.value) as StoredFederation;
  return { ...rest, secret: kernel.box.open(secretSealed, sealContext(rest.portalId)) };
}

export async function writeFederation(
  kernel: Pick<Kernel, 'db' | 'box' | 'clock'>,
  f: Federation,
): Promise<void> {
  const { secret, ...rest } = f;
  const stored: StoredFederation = {
    ...rest,
    secretSealed: kernel.box.seal(secret, sealContext(f.portalId)),
  };
  const value = JSON.stringify(stored);
  const modified = kernel.clock.now();
  await kernel.db.kysely
    .insertInto('gis_server_settings')
    .values({ key: KEY, value, modified })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, modified }))
    .execute();
}

export async function deleteFederation(kernel: Pick<Kernel, 'db'>): Promise<void> {
  await kernel.db.kysely.deleteFrom('gis_server_settings').where('key', '=', KEY).execute();
}
