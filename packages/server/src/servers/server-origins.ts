/** The browser origins of the federated servers: the web UI's pages read their services there. */
import type { ServerKeys } from './secrets.ts';

/** Each federated server's origin (https://host:port), once, from this node's copy (reloaded on servers.changed). */
export async function serverOrigins(keys: Pick<ServerKeys, 'all'>): Promise<string[]> {
  const out = new Set<string>();
  for (const { row } of (await keys.all()).values()) out.add(new URL(row.url).origin);
  return [...out];
}
