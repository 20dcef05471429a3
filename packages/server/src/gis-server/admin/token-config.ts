/**
 * The server's token lifetimes (ArcGIS tokenManagerConfig): shortTimeout is the lifetime of a
 * token asked for without one, longTimeout the longest a client may ask for. Kept in
 * gis_server_settings so every node of the server reads the same; the configuration
 * (server.tokenMinutes, server.maxTokenMinutes) applies until an administrator sets them.
 */
import type { Kernel } from '../../kernel/kernel.ts';
import type { TokenLifetimes } from '../../tokens/module.ts';

const KEY = 'tokenManager';

export interface TokenTimeouts {
  /** Minutes: the longest lifetime a client may ask for (longer requests are clamped). */
  longTimeout: number;
  /** Minutes: the lifetime of a token asked for without an expiration. */
  shortTimeout: number;
}

type Ctx = Pick<Kernel, 'db' | 'config' | 'clock'>;

/** The timeouts in force: the stored ones, or the configuration's. */
export async function readTokenTimeouts(ctx: Ctx): Promise<TokenTimeouts> {
  const row = await ctx.db.kysely
    .selectFrom('gis_server_settings')
    .select('value')
    .where('key', '=', KEY)
    .executeTakeFirst();
  if (row) return JSON.parse(row.value) as TokenTimeouts;
  const { tokenMinutes, maxTokenMinutes } = ctx.config.server;
  return { longTimeout: maxTokenMinutes, shortTimeout: Math.min(tokenMinutes, maxTokenMinutes) };
}

/** Stores new timeouts (validated by the caller); every node reads them on its next token. */
export async function writeTokenTimeouts(ctx: Ctx, t: TokenTimeouts): Promise<void> {
  const value = JSON.stringify({ longTimeout: t.longTimeout, shortTimeout: t.shortTimeout });
  const modified = ctx.clock.now();
  await ctx.db.kysely
    .insertInto('gis_server_settings')
    .values({ key: KEY, value, modified })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, modified }))
    .execute();
}

/** The tokens module's policy for a GIS server: read live, so a change reaches every node at once. */
export function gisTokenPolicy(ctx: Ctx): () => Promise<TokenLifetimes> {
  return async () => {
    const t = await readTokenTimeouts(ctx);
    return { defaultTokenExpirationMinutes: t.shortTimeout, maxTokenExpirationMinutes: t.longTimeout };
  };
}
