import { BlockList, isIP } from 'node:net';
import { MeridianError } from '../errors/meridian-error.ts';
import { OutboundAddressDenied } from './errors.ts';

/** Which resolved addresses this node (portal or GIS server) may connect to (config: outbound.allowLoopback / allowPrivate). */
export interface AddressPolicy {
  allowLoopback: boolean;
  allowPrivate: boolean;
}

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

function list(entries: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const b = new BlockList();
  for (const [net, prefix, type] of entries) b.addSubnet(net, prefix, type);
  return b;
}

const RANGES: [AddressClass, BlockList][] = [
  [
    'loopback',
    list([
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', 128, 'ipv6'],
    ]),
  ],
  [
    'unspecified',
    list([
      ['0.0.0.0', 8, 'ipv4'],
      ['::', 128, 'ipv6'],
    ]),
  ],
  // Link-local holds cloud metadata services (169.254.169.254): never fetched.
  [
    'link_local',
    list([
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
    ]),
  ],
  [
    'private',
    list([
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['100.64.0.0', 10, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
    ]),
  ],
  [
    'multicast',
    list([
      ['224.0.0.0', 4, 'ipv4'],
      ['ff00::', 8, 'ipv6'],
    ]),
  ],
  [
    'reserved',
    list([
      ['240.0.0.0', 4, 'ipv4'],
      ['192.0.0.0', 24, 'ipv4'],
      ['198.18.0.0', 15, 'ipv4'],
      ['2001:db8::', 32, 'ipv6'],
    ]),
  ],
];

/** The kind of address; IPv4-mapped and NAT64 IPv6 addresses are judged by the IPv4 address inside. */
export function classifyAddress(ip: string): AddressClass {
  const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const addr = mapped ? mapped[1]! : ip;
  const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
  for (const [cls, ranges] of RANGES) if (ranges.check(addr, type)) return cls;
  return 'public';
}

/** Why the policy refuses this address, or undefined when it may be used. */
export function addressRefusal(ip: string, policy: AddressPolicy): string | undefined {
  const cls = classifyAddress(ip);
  if (cls === 'public') return undefined;
  if (cls === 'loopback')
    return policy.allowLoopback ? undefined : 'a loopback address (set outbound.allowLoopback to allow it)';
  if (cls === 'private')
    return policy.allowPrivate
      ? undefined
      : 'a private-network address (set outbound.allowPrivate to allow it)';
  return `a ${cls.replace('_', '-')} address, which Meridian never connects to`;
}

export function checkAddress(host: string, ip: string, policy: AddressPolicy): void {
  const why = addressRefusal(ip, policy);
  if (why) {
    throw new MeridianError(
      OutboundAddressDenied,
      `${host === ip ? ip : `${host} resolves to ${ip}`}: ${why}. Meridian does not connect there.`,
    );
  }
}
