/** Minimal DER/BER framing: enough to tell a complete object from a truncated one. */
export interface DerFrame {
  tag: number;
  headerLength: number;
  /** Content length; -1 for BER indefinite length. */
  length: number;
  /** Header + content; -1 when indefinite. */
  total: number;
}

/** Reads the tag and length at `offset`; undefined when even the header is cut short. */
export function readDerFrame(buf: Uint8Array, offset = 0): DerFrame | undefined {
  if (buf.length < offset + 2) return undefined;
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) return undefined; // multi-byte tags never start a certificate file
  const first = buf[offset + 1]!;
  if (first < 0x80) return { tag, headerLength: 2, length: first, total: 2 + first };
  if (first === 0x80) return { tag, headerLength: 2, length: -1, total: -1 };
  const n = first & 0x7f;
  if (n > 4 || buf.length < offset + 2 + n) return undefined;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + buf[offset + 2 + i]!;
  return { tag, headerLength: 2 + n, length, total: 2 + n + length };
}

/** True when the bytes start with an ASN.1 SEQUENCE. */
export function looksLikeDer(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x30 && readDerFrame(buf) !== undefined;
}

/**
 * 'complete' when one DER object spans the buffer (trailing whitespace or NULs allowed),
 * 'truncated' when its declared length runs past the end of the buffer.
 */
export function derCompleteness(buf: Uint8Array): 'complete' | 'truncated' | 'trailing' | 'indefinite' {
  const f = readDerFrame(buf);
  if (!f) return 'truncated';
  if (f.total < 0) return 'indefinite';
  if (f.total > buf.length) return 'truncated';
  for (let i = f.total; i < buf.length; i++) {
    const b = buf[i]!;
    if (b !== 0 && b !== 0x0a && b !== 0x0d && b !== 0x20) return 'trailing';
  }
  return 'complete';
}
