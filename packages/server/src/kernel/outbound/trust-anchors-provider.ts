/**
 * The current trust store as PEM certificates. Called for every connection, so an
 * administrator's import applies to the next request on every node, without a restart.
 */
export type TrustAnchorsProvider = () => readonly string[] | Promise<readonly string[]>;

export function fixedAnchors(pems: readonly string[]): TrustAnchorsProvider {
  return () => pems;
}

export async function currentAnchors(
  source: TrustAnchorsProvider | readonly string[],
): Promise<readonly string[]> {
  return typeof source === 'function' ? await source() : source;
}
