import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { MeridianError } from '../errors/meridian-error.ts';
import { type AddressPolicy, addressRefusal, checkAddress } from './address-policy.ts';
import { DnsFailure } from './net-errors.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves a host name once and picks an address the policy allows. The caller connects to
 * exactly this address (no second lookup), so DNS cannot be rebound between check and use.
 */
export async function resolveHost(host: string, policy: AddressPolicy): Promise<ResolvedAddress> {
  const bare = host.replace(/^\[|\]$/g, '');
  const literal = isIP(bare);
  if (literal) {
    checkAddress(bare, bare, policy);
    return { address: bare, family: literal as 4 | 6 };
  }
  let found: { address: string; family: number }[];
  try {
    found = await lookup(bare, { all: true, verbatim: true });
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    throw new MeridianError(
      DnsFailure,
      `The host name ${bare} does not resolve (${code === 'ENOTFOUND' ? 'no such host' : code}).`,
      { cause: err, detail: String(err) },
    );
  }
  // IPv4 first: a service bound to 127.0.0.1 or 0.0.0.0 is reachable there on every platform.
  const ordered = [...found].sort((a, b) => a.family - b.family);
  const allowed = ordered.find((a) => !addressRefusal(a.address, policy));
  if (!allowed) {
    checkAddress(bare, found[0]!.address, policy);
    throw new Error('unreachable');
  }
  return { address: allowed.address, family: allowed.family as 4 | 6 };
}
