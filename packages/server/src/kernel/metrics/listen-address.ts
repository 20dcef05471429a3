import { isIP } from 'node:net';

/** Where the metrics listener binds: metrics.listen parsed. */
export interface ListenAddress {
  host: string;
  port: number;
}

const EXPECTED =
  'empty (off), a PORT, or HOST:PORT (for example 9464, 127.0.0.1:9464 or [::1]:9464), with PORT from 0 to 65535 (0 picks a free one); a port alone binds 127.0.0.1';

/** metrics.listen as host and port; undefined when it is empty (metrics off) or malformed. */
export function parseListenAddress(value: string): ListenAddress | undefined {
  const v = value.trim();
  if (!v) return undefined;
  const m = /^(?:(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):)?(\d{1,5})$/.exec(v);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65_535) return undefined;
  if (m[1] !== undefined) return isIP(m[1]) === 6 ? { host: m[1], port } : undefined;
  return { host: m[2] ?? '127.0.0.1', port };
}

/** The setting's check: what metrics.listen must be, when it is not. */
export function checkListenAddress(value: string): string | undefined {
  if (!value.trim()) return undefined;
  return parseListenAddress(value) ? undefined : EXPECTED;
}

/** Whether an address is reachable from this machine only. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return /^::ffff:127\./i.test(host);
}
